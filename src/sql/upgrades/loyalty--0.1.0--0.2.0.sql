-- loyalty 0.1.0 -> 0.2.0, run by ALTER EXTENSION loyalty UPDATE.
--
-- 0.1.0 has shipped (src/sql/shipped/loyalty--0.1.0.sql). Whoever changes the SQL surface for 0.2.0 (a new or
-- changed function, aggregate, type or C symbol in the fragments of src/sql/) appends here the statements that
-- take a 0.1.0 database to exactly what a fresh 0.2.0 install creates. test/ops/upgrade.sh checks that the
-- upgraded database's extension objects equal a fresh install's and that stored models and views still give the
-- same results. See docs/upgrades.md.

\echo Use "ALTER EXTENSION loyalty UPDATE TO '0.2.0'" to load this file. \quit

-- (no changes yet)
