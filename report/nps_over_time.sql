-- title: NPS over time
-- caption: Net Promoter Score of each month's survey answers (all stores) with its 95% confidence interval (the
-- caption: band), from the aggregate nps_stats(score): nps, ci_low and ci_high (normal approximation of the
-- caption: score's standard error). The number under each month is the number of answers.
-- Output: month, nps, ci_low, ci_high, respondents.
SELECT format('# note: %s answers from %s to %s: %s', count(*), min(responded_at)::date, max(responded_at)::date,
              (SELECT survey FROM report_settings))
  FROM report_survey;
SELECT to_char(month, 'YYYY-MM') AS month, round((s).nps::numeric, 2) AS nps,
       round((s).ci_low::numeric, 2) AS ci_low, round((s).ci_high::numeric, 2) AS ci_high, (s).respondents
  FROM (SELECT date_trunc('month', responded_at) AS month, nps_stats(score) AS s
          FROM report_survey GROUP BY 1) AS m
 ORDER BY month;
