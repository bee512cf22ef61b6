-- The tables the examples of README.md and docs/*.md read when they do not build their own (test/docs/run.sh
-- loads this file into every doc's database, after CREATE EXTENSION loyalty). A doc names the table it uses in
-- one sentence, e.g. "on the docs fixture's `orders` (test/docs/fixtures.sql)". Deterministic: the same rows on
-- every run.
--
--   orders(customer_id, ordered_at, amount)        the order log of examples/00_sample_data.sql: ~7,400 orders of
--                                                  1,500 customers from 2025-01-01 to 2026-06-30
--   survey_responses(store, responded_at, score, satisfaction)
--                                                  3,600 answers of examples/00_sample_data.sql: NPS 0-10 and
--                                                  satisfaction 1-5 for three stores
\ir ../../examples/00_sample_data.sql
RESET client_min_messages;
ANALYZE;
