-- api_review: the additive API fixes of issue 14 (docs/api.md). Every argument of every function and aggregate a
-- user calls has a name; survey scores accept smallint, integer and bigint alike; clv_estimate's discount_rate
-- defaults to 0; the renamed arguments work in named notation.
\set VERBOSITY terse
-- Functions and aggregates (not the aggregates' support functions) with an unnamed argument: none.
WITH members AS (
  SELECT p.oid, p.pronargs, p.proargnames
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'loyalty'),
support AS (
  SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn, aggmtransfn,
                      aggminvtransfn, aggmfinalfn])::oid AS oid
    FROM pg_aggregate)
SELECT oid::regprocedure AS unnamed_argument
  FROM members
 WHERE pronargs > 0 AND oid NOT IN (SELECT oid FROM support)
   AND (proargnames IS NULL OR '' = ANY (proargnames[1:pronargs]))
 ORDER BY 1::text;

-- The same answers as smallint, integer and bigint (pandas' to_sql writes BIGINT): 3 promoters, 1 passive,
-- 2 detractors: NPS 100 * (3 - 2) / 6 = 16.67; CSAT of 5, 4, 3, 2, 5, 4 on 1-5: 4 of 6 = 66.67, and none of
-- them in the top two boxes (6, 7) of a 1-7 scale.
CREATE TEMP TABLE answers AS
SELECT s::smallint AS s2, s AS s4, s::bigint AS s8, c::smallint AS c2, c AS c4, c::bigint AS c8
  FROM (VALUES (10, 5), (9, 4), (9, 3), (8, 2), (3, 5), (0, 4)) AS v(s, c);
SELECT round(nps(s2)::numeric, 2) AS nps2, round(nps(s4)::numeric, 2) AS nps4, round(nps(s8)::numeric, 2) AS nps8,
       (nps_stats(s2)).respondents AS stats2, (nps_stats(s8)).respondents AS stats8,
       round((nps_stats(s2, 0.9)).ci_low::numeric, 2) = round((nps_stats(s4, 0.9)).ci_low::numeric, 2)
         AND round((nps_stats(s8, 0.9)).ci_low::numeric, 2) = round((nps_stats(s4, 0.9)).ci_low::numeric, 2)
         AS same_interval,
       round(csat(c2)::numeric, 2) AS csat2, round(csat(c4)::numeric, 2) AS csat4,
       round(csat(c8)::numeric, 2) AS csat8, csat(c8, 7) AS csat8_7, round(csat(c2, 5)::numeric, 2) AS csat2_5
  FROM answers;
-- Sliding windows use the inverse transitions of every width.
SELECT s4, round(nps(s2) OVER w::numeric, 1) AS nps2, round(nps(s8) OVER w::numeric, 1) AS nps8,
       round(csat(c8) OVER w::numeric, 1) AS csat8
  FROM answers WINDOW w AS (ORDER BY s4, c4 ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY s4, c4;
-- Literals of each type resolve without a cast; rfm_segment takes the three widths, mixed ones too.
SELECT nps(10::smallint) AS promoter, nps(0::bigint) AS detractor, csat(4::smallint) AS satisfied;
SELECT rfm_segment(5::smallint, 5::smallint, 5::smallint) AS smallints, rfm_segment(5, 4, 5) AS integers,
       rfm_segment(1::bigint, 1::bigint, 1::bigint) AS bigints, rfm_segment(5::smallint, 4, 5::bigint) AS mixed;
-- Scores outside the scale are 22003 at every width, a bigint beyond the integer range too.
SELECT nps(11::smallint);
SELECT nps(3000000000::bigint);
SELECT csat(-2::bigint);
SELECT (nps_stats(99999999999::bigint, 0.9)).nps;
SELECT rfm_segment(6::smallint, 1::smallint, 1::smallint);
SELECT rfm_segment(1, 1, 5000000000);

-- Named notation for functions whose arguments had no names; aggregates take positional arguments only
-- (a PostgreSQL rule: "aggregates cannot use named arguments").
SELECT cohort_period(cohort_start => '2024-01-31', event_ts => '2024-03-01', unit => 'month') AS months,
       round(sbg_survival(model => ROW(1, 2, NULL, NULL, NULL, NULL)::sbg_model, t => 2)::numeric, 4) AS survival;
SELECT nps(score => 10);

-- clv_estimate without discount_rate: no discounting, as customer_scores.
SELECT clv_estimate(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model,
                    ROW(6.25, 3.74, 15.44, NULL, NULL, NULL, NULL)::gamma_gamma_model, 2, 30.43, 38.86, 22.35, 12)
       = clv_estimate(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model,
                      ROW(6.25, 3.74, 15.44, NULL, NULL, NULL, NULL)::gamma_gamma_model, 2, 30.43, 38.86, 22.35,
                      12, 0, 1) AS default_is_undiscounted;
