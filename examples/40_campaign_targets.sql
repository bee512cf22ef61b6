-- examples/40_campaign_targets.sql: a procedure that writes the list of customers worth saving, for a
-- retention campaign (a voucher, a call): customers the stored model says are probably slipping away
-- (low P(alive)) and who are still worth something (high expected value over the next year).
-- Reads customer_scorecard_snapshot (30_materialized_view.sql), refreshed after each nightly refit.
--
-- With BG/NBD a customer who never bought again after her first order has P(alive) = 1 (the model lets
-- customers leave only right after a repeat purchase), so one-time buyers are never picked here: the list holds
-- repeat customers whose purchases stopped for longer than their own rhythm makes likely.

CREATE TABLE IF NOT EXISTS campaign_targets (
  campaign       text NOT NULL,
  customer_id    integer NOT NULL,
  p_alive        double precision NOT NULL,
  clv_next_year  double precision NOT NULL,
  model_id       bigint NOT NULL,          -- the stored model that scored the customer
  picked_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign, customer_id)
);

-- Writes (or rewrites) one campaign's list and returns how many customers it holds.
CREATE OR REPLACE PROCEDURE pick_campaign_targets(
  campaign text,
  max_p_alive double precision DEFAULT 0.5,   -- at risk: probably gone or going
  min_clv double precision DEFAULT 20,        -- still worth a voucher: expected value of the next year
  max_customers integer DEFAULT 200,          -- the campaign's budget, the most valuable first
  INOUT picked bigint DEFAULT NULL)
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM campaign_targets AS t WHERE t.campaign = pick_campaign_targets.campaign;
  INSERT INTO campaign_targets (campaign, customer_id, p_alive, clv_next_year, model_id)
  SELECT pick_campaign_targets.campaign, s.customer_id, s.p_alive, s.clv_next_year, s.model_id
    FROM customer_scorecard_snapshot AS s
   WHERE s.p_alive < max_p_alive AND s.clv_next_year >= min_clv
   ORDER BY s.clv_next_year DESC, s.customer_id
   LIMIT max_customers;
  GET DIAGNOSTICS picked = ROW_COUNT;
END
$$;

CALL pick_campaign_targets('win-back 2026-07');

SELECT t.customer_id, c.orders, round(c.revenue::numeric, 2) AS revenue, c.days_since_last, c.rfm_segment,
       round(t.p_alive::numeric, 3) AS p_alive, round(t.clv_next_year::numeric, 2) AS clv_next_year
  FROM campaign_targets AS t JOIN customer_scorecard_snapshot AS c USING (customer_id)
 WHERE t.campaign = 'win-back 2026-07'
 ORDER BY t.clv_next_year DESC LIMIT 10;
