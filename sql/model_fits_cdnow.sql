-- Model fits on the public reference data (../shared/data, or $LOYALTY_DATA_DIR): the CDNOW sample and the
-- donations data, against the published estimates. Skipped, saying so, where the data is absent (the expected
-- output of that run is model_fits_cdnow_1.out).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET extra_float_digits = 0;

\getenv datadir LOYALTY_DATA_DIR
\if :{?datadir}
\else
\set datadir ../shared/data
\endif
\set have_data `test -r ":datadir/cdnow/cdnow_customers_summary_with_transactions.csv" && test -r ":datadir/cdnow/CDNOW_sample.txt" && test -r ":datadir/cdnow/donations.csv" && echo true || echo false`
\if :have_data
-- \copy reads paths literally: move psql into the data folder.
\cd :datadir

-- cdnow_customers_summary.csv: ID,frequency,recency,T, the 39-week calibration summary in weeks, rounded to 2
-- decimals; with_transactions adds zbar, the mean value of the repeat transactions.
CREATE TABLE cdnow_fit_summary (id integer, frequency float8, recency float8, t float8);
\copy cdnow_fit_summary FROM 'cdnow/cdnow_customers_summary.csv' CSV HEADER
CREATE TABLE cdnow_spend (id integer, x float8, t_x float8, t float8, zbar float8);
\copy cdnow_spend FROM 'cdnow/cdnow_customers_summary_with_transactions.csv' CSV HEADER
-- The transaction log (master_id sample_id yyyymmdd cds dollars, space-aligned), one line per row.
CREATE TABLE cdnow_log (line text);
\copy cdnow_log FROM 'cdnow/CDNOW_sample.txt'
-- donations.csv: frequency,recency,periods,weights, 22 patterns of 11,104 donors.
CREATE TABLE donations (frequency float8, recency float8, periods float8, weights integer);
\copy donations FROM 'cdnow/donations.csv' CSV HEADER
SELECT (SELECT count(*) FROM cdnow_fit_summary) AS customers, (SELECT count(*) FROM cdnow_log) AS transactions,
       (SELECT sum(weights) FROM donations) AS donors;

-- The calibration summary rebuilt from the log with exact times (days / 7), the data the papers fitted: the
-- calibration period ends 1997-09-30; purchases on one day are one transaction; monetary is the mean dollar
-- value of the repeat days.
CREATE TABLE cdnow_exact AS
WITH days AS (
  SELECT f[2]::integer AS id, to_date(f[3], 'YYYYMMDD') AS day, sum(f[5]::numeric) AS dollars
    FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM cdnow_log) AS l
   WHERE to_date(f[3], 'YYYYMMDD') <= date '1997-09-30'
   GROUP BY 1, 2
), ranked AS (
  SELECT *, min(day) OVER (PARTITION BY id) AS first_day FROM days
)
SELECT id, count(*) - 1.0 AS frequency, (max(day) - first_day) / 7.0 AS recency,
       (date '1997-09-30' - first_day) / 7.0 AS t,
       coalesce(sum(dollars) FILTER (WHERE day > first_day) / nullif(count(*) - 1, 0), 0)::float8 AS monetary
  FROM ranked GROUP BY id, first_day;
SELECT count(*) AS customers, sum(frequency) AS repeat_transactions,
       count(*) FILTER (WHERE frequency > 0) AS repeat_buyers FROM cdnow_exact;

-- BG/NBD, Fader, Hardie & Lee (2005), "Counting your customers the easy way", CDNOW: r = 0.243,
-- alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.43 (the summary file reproduces them).
SELECT round((m).r::numeric, 3) AS r, round((m).alpha::numeric, 3) AS alpha, round((m).a::numeric, 3) AS a,
       round((m).b::numeric, 3) AS b, round((m).log_likelihood::numeric, 2) AS log_likelihood, (m).customers,
       (m).converged
  FROM (SELECT bgnbd_fit(frequency, recency, t) AS m FROM cdnow_fit_summary) AS f;
-- The log-likelihood aggregate at the published estimates, and the same total in plain SQL (for integer x,
-- Gamma(r+x)/Gamma(r) = prod_{k<x}(r+k) and B(a,b+x)/B(a,b) = prod_{k<x}(b+k)/(a+b+k): no lgamma needed).
-- An independent mpmath evaluation of this file gives -9582.4268311823647 (test/unit/bgnbd_test.cpp).
SELECT round(l.log_likelihood::numeric, 6) AS aggregate_ll, round(p.ll::numeric, 6) AS plain_sql_ll
  FROM (SELECT (bgnbd_log_likelihood(frequency, recency, t,
                  ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model)).* FROM cdnow_fit_summary) AS l,
       (SELECT sum(ll) AS ll FROM cdnow_fit_summary,
          LATERAL (SELECT coalesce(sum(ln(0.243 + k) + ln((2.426 + k) / (0.793 + 2.426 + k))), 0) + 0.243 * ln(4.414)
                          + ln(power(4.414 + t, -(0.243 + frequency))
                               + CASE WHEN frequency > 0
                                      THEN 0.793 / (2.426 + frequency - 1) * power(4.414 + recency, -(0.243 + frequency))
                                      ELSE 0 END) AS ll
                     FROM generate_series(0, frequency::integer - 1) AS k) AS row_ll) AS p;

-- MBG/NBD: no published CDNOW estimates; lifetimes documents r = 0.525, alpha = 6.183, a = 0.891, b = 1.614, and
-- an independent Python maximisation of the same likelihood gives LL = -9582.132685 (test/unit/mbgnbd_test.cpp).
SELECT round((m).r::numeric, 3) AS r, round((m).alpha::numeric, 3) AS alpha, round((m).a::numeric, 3) AS a,
       round((m).b::numeric, 3) AS b, round((m).log_likelihood::numeric, 4) AS log_likelihood, (m).converged
  FROM (SELECT mbgnbd_fit(frequency, recency, t) AS m FROM cdnow_fit_summary) AS f;

-- Pareto/NBD, Fader, Hardie & Lee (2005): r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669, LL = -9594.98.
-- The exact-time summary reproduces them; the summary file, rounded to 2 decimals, moves beta to 11.668 and
-- LL to -9594.97.
SELECT 'exact times' AS data, round((m).r::numeric, 3) AS r, round((m).alpha::numeric, 3) AS alpha,
       round((m).s::numeric, 3) AS s, round((m).beta::numeric, 3) AS beta,
       round((m).log_likelihood::numeric, 2) AS log_likelihood, (m).converged
  FROM (SELECT pareto_nbd_fit(frequency, recency, t) AS m FROM cdnow_exact) AS f
UNION ALL
SELECT 'summary file', round((m).r::numeric, 3), round((m).alpha::numeric, 3), round((m).s::numeric, 3),
       round((m).beta::numeric, 3), round((m).log_likelihood::numeric, 2), (m).converged
  FROM (SELECT pareto_nbd_fit(frequency, recency, t) AS m FROM cdnow_fit_summary) AS f;

-- Gamma-Gamma, Fader, Hardie & Lee (2005), "RFM and CLV": p = 6.25, q = 3.74, v (their gamma) = 15.44, on the
-- 946 repeat buyers (frequency = 0 rows are skipped). Exact mean spends reproduce them; the summary file's zbar,
-- rounded to cents, moves the maximum to v = 15.448 (lifetimes reports 15.45 on that file).
SELECT 'exact means' AS data, round((m).p::numeric, 2) AS p, round((m).q::numeric, 2) AS q,
       round((m).v::numeric, 2) AS v, (m).customers, (m).converged
  FROM (SELECT gamma_gamma_fit(frequency, monetary) AS m FROM cdnow_exact) AS f
UNION ALL
SELECT 'summary file zbar', round((m).p::numeric, 3), round((m).q::numeric, 3), round((m).v::numeric, 3),
       (m).customers, (m).converged
  FROM (SELECT gamma_gamma_fit(x, zbar) AS m FROM cdnow_spend) AS f;

-- BG/BB, Fader, Hardie & Shang (2010), donations (11,104 donors, 6 opportunities, pre-aggregated rows):
-- alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33225.6.
SELECT round((m).alpha::numeric, 3) AS alpha, round((m).beta::numeric, 3) AS beta,
       round((m).gamma::numeric, 3) AS gamma, round((m).delta::numeric, 3) AS delta,
       round((m).log_likelihood::numeric, 1) AS log_likelihood, (m).customers, (m).converged
  FROM (SELECT bgbb_fit(frequency, recency, periods, weights) AS m FROM donations) AS f;

-- A forced parallel plan gives exactly the serial fits.
CREATE TEMP TABLE serial AS
SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM cdnow_fit_summary) AS bgnbd,
       (SELECT pareto_nbd_fit(frequency, recency, t) FROM cdnow_fit_summary) AS pareto_nbd,
       (SELECT gamma_gamma_fit(x, zbar) FROM cdnow_spend) AS gamma_gamma;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT pareto_nbd_fit(frequency, recency, t) FROM cdnow_fit_summary;
SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM cdnow_fit_summary) = bgnbd AS bgnbd_equal,
       (SELECT pareto_nbd_fit(frequency, recency, t) FROM cdnow_fit_summary) = pareto_nbd AS pareto_nbd_equal,
       (SELECT gamma_gamma_fit(x, zbar) FROM cdnow_spend) = gamma_gamma AS gamma_gamma_equal
  FROM serial;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
\else
\echo 'reference data not found (set LOYALTY_DATA_DIR to the folder holding cdnow/): CDNOW and donations tests skipped'
\endif
