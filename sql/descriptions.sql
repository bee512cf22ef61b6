-- descriptions: every object of the extension (its pg_depend 'e' members: functions, aggregates, types) has a
-- COMMENT, so that \df+ and \dT+ describe it. The query lists the members without one; it must list none. A new
-- function needs its COMMENT ON next to its CREATE in src/sql/ and in the upgrade script.
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS undescribed
  FROM pg_depend AS d
  JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'loyalty'
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND obj_description(d.objid, d.classid::regclass::name) IS NULL
 ORDER BY 1;
-- (and the query above does see the members)
SELECT count(*) > 200 AS sees_the_members
  FROM pg_depend AS d JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'loyalty'
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e';
-- The descriptions \df+ shows are what the fragments say above each CREATE: two of them, as examples.
\x on
SELECT obj_description('nps(integer)'::regprocedure, 'pg_proc') AS nps,
       obj_description('customer_summary_result'::regtype, 'pg_type') AS customer_summary_result;
\x off
