-- The extension is trusted and relocatable: a non-superuser with CREATE on the database installs it into a
-- schema of their choice, and its functions work there.
\set VERBOSITY default
CREATE ROLE loyalty_analyst;
SELECT current_database() AS db \gset
GRANT CREATE ON DATABASE :"db" TO loyalty_analyst;
SET ROLE loyalty_analyst;
CREATE SCHEMA analytics;
CREATE EXTENSION loyalty SCHEMA analytics;
SELECT extname, extversion, extrelocatable, n.nspname
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'loyalty';
SELECT analytics.nps(s) AS nps, analytics.csat(c) AS csat
  FROM (VALUES (10, 5), (0, 1)) AS v(s, c);
-- Every function the extension creates is parallel safe, except the distributed fits: they run queries over a
-- table the caller names, which may be a temporary table (parallel restricted).
SELECT p.proname AS not_parallel_safe, p.proparallel
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'loyalty'
 WHERE p.proparallel <> 's' ORDER BY 1;
DROP EXTENSION loyalty;
DROP SCHEMA analytics;
RESET ROLE;
REVOKE CREATE ON DATABASE :"db" FROM loyalty_analyst;
DROP ROLE loyalty_analyst;

-- The other tests use the extension from the default schema.
CREATE EXTENSION loyalty;
