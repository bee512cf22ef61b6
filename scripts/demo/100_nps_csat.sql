\echo
\echo '== Net Promoter Score and satisfaction per store, with a 95% confidence interval'
SELECT store,
       round((s).nps::numeric, 1) AS nps,
       round((s).ci_low::numeric, 1) || ' .. ' || round((s).ci_high::numeric, 1) AS nps_95_interval,
       (s).respondents,
       round(csat::numeric, 1) AS csat_percent
  FROM (SELECT store, nps_stats(score) AS s, csat(satisfaction) AS csat
          FROM survey_responses GROUP BY store) AS t
 ORDER BY store;

\echo
\echo '== Rolling 30-day NPS of store 2, every 30 days (a sliding window: each day adds and removes answers)'
SELECT day, round(rolling_nps::numeric, 1) AS rolling_30_day_nps
  FROM (SELECT responded_at::date AS day,
               nps(score) OVER (ORDER BY responded_at RANGE BETWEEN INTERVAL '30 days' PRECEDING AND CURRENT ROW)
                 AS rolling_nps,
               row_number() OVER (PARTITION BY responded_at::date ORDER BY responded_at DESC) AS last_of_day
          FROM survey_responses WHERE store = 'store 2') AS w
 WHERE last_of_day = 1 AND (day - date '2026-01-01') % 30 = 29
 ORDER BY day;
