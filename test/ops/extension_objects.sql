-- The extension's objects as a sorted text listing, to compare two databases (test/ops/upgrade.sh): every member
-- (pg_depend 'e' entries), every function's full definition (signature, result, language, C symbol,
-- volatility, strictness, parallel safety, cost, defaults), every aggregate's support functions and state, and
-- every type's fields. Two databases where this listing is equal have the same SQL surface.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'loyalty'),
members AS (
  SELECT d.classid, d.objid, d.objsubid FROM pg_depend d, ext
   WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
)
SELECT line FROM (
  SELECT 'member: ' || pg_describe_object(classid, objid, objsubid) AS line FROM members
  UNION ALL
  SELECT 'function: ' || p.oid::regprocedure || E'\n' || pg_get_functiondef(p.oid) || E'\nacl: '
         || coalesce(p.proacl::text, 'default')
    FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
   WHERE p.prokind <> 'a'
  UNION ALL
  SELECT format('aggregate: %s kind %s direct %s parallel %s strict %s; sfunc %s stype %s sspace %s init %s; '
                'final %s extra %s modify %s; combine %s serial %s deserial %s; msfunc %s minv %s mstype %s '
                'mspace %s minit %s mfinal %s mextra %s mmodify %s; sortop %s; acl %s',
                p.oid::regprocedure, a.aggkind, a.aggnumdirectargs, p.proparallel, p.proisstrict,
                a.aggtransfn::regprocedure, a.aggtranstype::regtype, a.aggtransspace, a.agginitval,
                a.aggfinalfn::regprocedure, a.aggfinalextra, a.aggfinalmodify,
                a.aggcombinefn::regprocedure, a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure,
                a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure, a.aggmtranstype::regtype,
                a.aggmtransspace, a.aggminitval, a.aggmfinalfn::regprocedure, a.aggmfinalextra,
                a.aggmfinalmodify, a.aggsortop::regoperator, coalesce(p.proacl::text, 'default'))
    FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    JOIN pg_aggregate a ON a.aggfnoid = p.oid
  UNION ALL
  SELECT format('type: %s fields %s', t.oid::regtype,
                (SELECT string_agg(format('%s %s', att.attname, format_type(att.atttypid, att.atttypmod)), ', '
                                   ORDER BY att.attnum)
                   FROM pg_attribute att WHERE att.attrelid = t.typrelid AND att.attnum > 0 AND NOT att.attisdropped))
    FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
  UNION ALL
  SELECT format('comment: %s: %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
    FROM members m JOIN pg_description d ON d.classoid = m.classid AND d.objoid = m.objid
  UNION ALL
  SELECT format('extension: version %s relocatable %s config %s', extversion, extrelocatable, extconfig)
    FROM pg_extension WHERE extname = 'loyalty'
) AS listing
ORDER BY line COLLATE "C";
