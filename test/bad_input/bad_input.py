#!/usr/bin/env python3
"""The bad-input matrix: calls every SQL-callable function of the extension with hostile arguments.

Every function of the installed extension is read from the catalog (support functions included) and called:
  - with a base argument list that works (found by trying candidate values), then with each argument in turn
    replaced by NULL, NaN, +-Infinity, negative, zero, huge (1e308, 2^62), tiny (5e-324) and out-of-range
    values; composites (models, summaries) get every field replaced the same way; float8[] states get
    hand-made states (wrong length, negative, NaN, huge counters);
  - aggregates over empty input, a single row, rows with a bad value, rows whose "constant" arguments vary,
    and as a moving window with a NULL row; window functions over those row sets; set-returning functions
    fully consumed.

A call passes when it raises an error with a specific SQLSTATE, or returns a value that holds no NaN or
Infinity, no int64 minimum (an out-of-range conversion) and, for a probability, lies in [0, 1]. It fails on
SQLSTATE XX000, on a statement timeout (the call ran for longer than --timeout), on a crash of the backend,
or on a wrong value. Scalar calls slower than --slow-ms are listed (not failed).

Connection: the usual PGHOST/PGPORT/PGUSER/PGDATABASE environment; the database must have the extension.
Prints the failures, then "bad_input: N passed, N failed" and exits 1 on any failure.
"""
import argparse
import itertools
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

NUMERIC_BAD = ["NULL", "'NaN'", "'Infinity'", "'-Infinity'", "-1", "0", "1e308", "-1e308", "4611686018427387904",
               "5e-324", "1e15"]
INTEGER_BAD = ["NULL", "-1", "0", "2147483647", "-2147483648", "1000000"]
BIGINT_BAD = ["NULL", "-1", "0", "4611686018427387904", "-9223372036854775808"]
TEXT_BAD = ["NULL", "''", "'bogus'", "repeat('x', 10000)"]
TIME_BAD = ["NULL", "'infinity'", "'-infinity'", "'4713-01-01 BC'", "'294276-12-31'"]
INTERVAL_BAD = ["NULL", "'0'", "'-1 day'", "'1000000 years'", "'1 microsecond'"]
ARRAY_BAD = ["NULL", "'{}'", "'{NaN,1,1}'", "'{-1,0,0}'", "'{1e308,3,2}'", "'{1,2}'", "'{NULL,1,1}'",
             "'{{1,2},{3,4}}'", "'{9007199254740993,1,1}'", "array_fill(1::float8, ARRAY[100000])"]

# Valid candidates per type, tried in order to find a base call that succeeds.
CANDIDATES = {
    "double precision": ["2", "3", "10", "0.5", "1", "0", "0.95", "40"],
    "integer": ["2", "3", "10", "1", "5", "0"],
    "bigint": ["2", "3", "10", "1"],
    "smallint": ["2", "3", "1"],
    "boolean": ["true", "false"],
    "text": ["'day'", "'week'", "'month'", "'UTC'", "'555'", "'Champions'"],
    "timestamp with time zone": ["'2024-01-01 00:00+00'", "'2024-03-01 00:00+00'", "'2024-06-30 00:00+00'",
                                 "'2023-12-01 00:00+00'"],
    "date": ["'2024-01-01'", "'2024-03-01'"],
    "interval": ["'1 month'", "'1 day'", "'7 days'"],
}

# Valid literals of the extension's composites (CDNOW estimates; see README).
MODEL_LITERALS = {
    "bgnbd_model": "ROW(0.243,4.414,0.793,2.426,-9582.4,2357,true,100)",
    "mbgnbd_model": "ROW(0.525,6.183,0.891,1.614,-9552.4,2357,true,100)",
    "pareto_nbd_model": "ROW(0.553,10.578,0.606,11.669,-9595.0,2357,true,100)",
    "bgbb_model": "ROW(1.204,0.750,0.657,2.783,-33225.6,11104,true,100)",
    "gamma_gamma_model": "ROW(6.25,3.74,15.44,-4000,946,true,100)",
    "sbg_model": "ROW(0.668,3.806,-1611.2,1000,true,50)",
    "customer_summary_result": "ROW(2,10,30,5.0,3,15.0,'2024-01-01 00:00+00','2024-01-11 00:00+00',20,1,1,5.0,5.0)",
    "rfm_breakpoints": "ROW(5,'{60,30,14,7}','{1,2,3,5}','{10,20,50,100}',100)",
}

PROBABILITY = re.compile(r"^(p_alive|churn_probability|probability_of_purchases|retention_rate|churn_rate|"
                         r"sbg_survival|sbg_retention_rate|sbg_churn_probability)$")


def psql(args, sql, timeout=None):
    return subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"] + args, input=sql, text=True,
                          capture_output=True, timeout=timeout)


def query(sql):
    out = psql(["-F", "\x1f"], sql)
    if out.returncode != 0:
        sys.exit(out.stderr)
    return [line.split("\x1f") for line in out.stdout.splitlines() if line]


def sql_string(s):
    return "$q$" + s + "$q$"


class Catalog:
    def __init__(self):
        rows = query("""
            SELECT p.proname, p.prokind, p.proretset, p.prorettype::regtype,
                   coalesce(array_to_string(array(SELECT format_type(t, NULL)
                       FROM unnest(p.proargtypes) t), '|'), '')
              FROM pg_proc p
              JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'loyalty'
             ORDER BY 1, 5""")
        self.functions = [dict(name=r[0], kind=r[1], retset=r[2] == "t", returns=r[3],
                               args=r[4].split("|") if r[4] else []) for r in rows]
        self.composites = {}
        for name, fields in query("""
            SELECT t.typname, string_agg(format_type(a.atttypid, NULL), '|' ORDER BY a.attnum)
              FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0
              JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
              JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'loyalty'
             WHERE t.typtype = 'c' GROUP BY 1"""):
            self.composites[name] = fields.split("|")


def bad_values(catalog, typ):
    """Hostile replacements for an argument of type `typ`, as SQL expressions."""
    if typ in ("double precision", "real", "numeric"):
        return NUMERIC_BAD
    if typ in ("integer", "smallint"):
        return INTEGER_BAD
    if typ == "bigint":
        return BIGINT_BAD
    if typ == "text":
        return TEXT_BAD
    if typ in ("timestamp with time zone", "timestamp without time zone", "date"):
        return TIME_BAD
    if typ == "interval":
        return INTERVAL_BAD
    if typ == "double precision[]":
        return ARRAY_BAD
    if typ == "boolean":
        return ["NULL"]
    if typ in catalog.composites:
        return composite_bad_values(catalog, typ)
    return ["NULL"]


def composite_bad_values(catalog, typ):
    """The composite with each field replaced in turn by a hostile value, plus an all-NULL row."""
    fields = catalog.composites[typ]
    base = split_row(MODEL_LITERALS.get(typ))
    out = ["NULL", "ROW(" + ",".join("NULL" for _ in fields) + ")"]
    if base is None:
        return out
    for i, ftyp in enumerate(fields):
        replacements = {"double precision": ["NULL", "'NaN'", "'Infinity'", "-1", "0", "1e308", "5e-324"],
                        "integer": ["NULL", "-1", "2147483647"], "bigint": ["NULL", "-1"],
                        "double precision[]": ["NULL", "'{}'", "'{NaN}'", "'{3,2,1}'"]}.get(ftyp, ["NULL"])
        for v in replacements:
            out.append("ROW(" + ",".join(v if j == i else f for j, f in enumerate(base)) + ")")
    return out


def split_row(literal):
    """ROW(a,'b,c',d) -> ['a', "'b,c'", 'd'] (top-level commas only)."""
    if literal is None:
        return None
    body, parts, depth, current, quoted = literal[4:-1], [], 0, "", False
    for ch in body:
        if ch == "'":
            quoted = not quoted
        if not quoted and ch in "([{":
            depth += 1
        if not quoted and ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def candidates(catalog, typ):
    if typ in MODEL_LITERALS:
        return [MODEL_LITERALS[typ]]
    if typ == "double precision[]":
        return ["'{0,0,0}'", "'{1,2,3}'", "'{0,0,0,0}'", "'{0,0,0,0,0,0,0}'"]
    return CANDIDATES.get(typ, [])


def cast(expr, typ):
    return f"({expr})::{typ}"


class Case:
    __slots__ = ("id", "function", "label", "sql", "scalar")

    def __init__(self, function, label, sql, scalar):
        self.function, self.label, self.sql, self.scalar = function, label, sql, scalar


def call_expression(f, args):
    return f"{f['name']}({', '.join(cast(a, t) for a, t in zip(args, f['args']))})"


def scalar_sql(f, args):
    if f["retset"]:
        return (f"SELECT count(*)::text || CASE WHEN bool_or(x::text ~* 'nan|infinity') THEN ' NaN' ELSE '' END "
                f"FROM {call_expression(f, args)} AS x")
    return f"SELECT ({call_expression(f, args)})::text"


def rows_sql(f, rows, agg_call):
    """SELECT over a VALUES list whose columns are the function's arguments."""
    cols = [f"c{i}" for i in range(len(f["args"]))]
    if rows:
        values = ", ".join("(" + ", ".join(cast(v, t) for v, t in zip(r, f["args"])) + ")" for r in rows)
        source = f"(VALUES {values}) AS v({', '.join(cols)})"
    else:
        nulls = ", ".join(cast("NULL", t) for t in f["args"])
        source = f"(SELECT {nulls} WHERE false) AS v({', '.join(cols)})"
    return agg_call(f"{f['name']}({', '.join(cols)})", source)


def base_candidates(f, catalog):
    """Candidate argument lists for a base call, in the order they are tried."""
    pools = [candidates(catalog, t) or ["NULL"] for t in f["args"]]
    tried = []
    for k in range(max(len(p) for p in pools) if pools else 1):  # the k-th candidate of every argument
        tried.append([p[min(k, len(p) - 1)] for p in pools])
    for combo in itertools.islice(itertools.product(*pools), 60):
        tried.append(list(combo))
    return tried


def base_sql(f, args):
    if f["kind"] == "f":
        return scalar_sql(f, args)
    if f["kind"] == "a":
        return rows_sql(f, [args], lambda c, s: f"SELECT ({c})::text FROM {s}")
    return rows_sql(f, [args], lambda c, s: f"SELECT max(({c} OVER ())::text) FROM {s}")


def callable_from_sql(f):
    return not any(t in ("internal", "anyelement", "anyarray", "record") for t in f["args"])


def find_bases(catalog, timeout_s, hang_s):
    """For each function, the first candidate argument list whose call succeeds (else the first one)."""
    functions = [f for f in catalog.functions if callable_from_sql(f)]
    tries = [(fi, args) for fi, f in enumerate(functions) for args in base_candidates(f, catalog)]
    cases = [Case(functions[fi]["name"], "base search", base_sql(functions[fi], args), False) for fi, args in tries]
    results = run_cases(cases, timeout_s, hang_s)
    bases = {}
    for i, (fi, args) in enumerate(tries):
        if fi not in bases and results[i][0] == "ok" and not re.search(r"NaN|Infinity", results[i][3]):
            bases[fi] = args
    return [(f, bases.get(fi, base_candidates(f, catalog)[0])) for fi, f in enumerate(functions)]


def generate(bases, catalog):
    cases = []
    for f, base in bases:
        name = f["name"]
        if f["kind"] == "f":
            cases.append(Case(name, "base", scalar_sql(f, base), True))
            for i, t in enumerate(f["args"]):
                for bad in bad_values(catalog, t):
                    args = list(base)
                    args[i] = bad
                    cases.append(Case(name, f"arg {i + 1} = {bad[:60]}", scalar_sql(f, args), True))
            continue
        if f["kind"] == "a":
            agg = lambda c, s: f"SELECT ({c})::text FROM {s}"
            moving = lambda c, s: (f"SELECT string_agg(x, ';') FROM (SELECT ({c} OVER (ORDER BY c0 NULLS FIRST "
                                   f"ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))::text AS x FROM {s}) w")
        else:
            agg = lambda c, s: f"SELECT string_agg(x, ';') FROM (SELECT ({c} OVER ())::text AS x FROM {s}) w"
            moving = None
        cases.append(Case(name, "empty", rows_sql(f, [], agg), False))
        cases.append(Case(name, "one row", rows_sql(f, [base], agg), False))
        for i, t in enumerate(f["args"]):
            others = [c for c in candidates(catalog, t) if c != base[i]]
            if others:
                varied = list(base)
                varied[i] = others[0]
                cases.append(Case(name, f"arg {i + 1} varies", rows_sql(f, [base, varied, base], agg), False))
            for bad in bad_values(catalog, t):
                args = list(base)
                args[i] = bad
                cases.append(Case(name, f"row with arg {i + 1} = {bad[:60]}", rows_sql(f, [base, args, base], agg),
                                  False))
                if moving is not None and bad == "NULL":
                    cases.append(Case(name, f"moving frame, NULL arg {i + 1}",
                                      rows_sql(f, [base, args, base], moving), False))
    return cases


def probe_setup():
    return r"""
CREATE SCHEMA IF NOT EXISTS bad_input;
CREATE OR REPLACE FUNCTION bad_input.probe(id integer, q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  r text;
  t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE q INTO r;
  RETURN format(E'%s\tok\t\t%s\t%s', id, round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 3),
                coalesce(r, '<NULL>'));
EXCEPTION
  WHEN query_canceled THEN
    RETURN format(E'%s\terror\t57014\t%s\tstatement timeout', id,
                  round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 3));
  WHEN OTHERS THEN
    RETURN format(E'%s\terror\t%s\t%s\t%s', id, SQLSTATE,
                  round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 3),
                  replace(replace(SQLERRM, E'\n', ' '), E'\t', ' '));
END
$f$;
"""


def run_cases(cases, timeout_s, hang_s):
    """Runs the cases in one psql session (restarted after a crash); returns {id: (status, sqlstate, ms, text)}."""
    results = {}
    remaining = list(range(len(cases)))
    while remaining:
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
            script.write("SET application_name = 'bad_input';\n")
            script.write(f"SET statement_timeout = '{int(timeout_s * 1000)}ms';\n")
            script.write("SET max_parallel_workers_per_gather = 0;\n")
            for i in remaining:
                script.write(f"SELECT bad_input.probe({i}, {sql_string(cases[i].sql)});\n")
            path = script.name
        proc = subprocess.Popen(["psql", "-X", "-q", "-At", "-f", path], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        killed = {}
        watchdog = threading.Thread(target=watch, args=(proc, hang_s, killed), daemon=True)
        watchdog.start()
        out, err = proc.communicate()
        os.unlink(path)
        for line in out.splitlines():
            parts = line.split("\t", 4)
            if len(parts) == 5 and parts[0].isdigit():
                results[int(parts[0])] = (parts[1], parts[2], float(parts[3] or 0), parts[4])
        done = [i for i in remaining if i in results]
        remaining = [i for i in remaining if i not in results]
        if remaining and proc.returncode == 0:
            # psql finished but a statement printed nothing: record it, go on with the rest
            first = remaining.pop(0)
            results[first] = ("crash", "", 0.0, "no output: " + err.strip()[:200])
        elif remaining:
            # The session died at the first remaining case: a crash, or a hang that the watchdog killed.
            first = remaining.pop(0)
            status = "hang" if killed.get("killed") else "crash"
            results[first] = (status, "", 0.0, err.strip()[-300:])
            wait_for_server()
        del done
    return results


def watch(proc, hang_s, killed):
    """Kills (SIGKILL) the session's backend when one statement runs past hang_s: it ignored the timeout."""
    while proc.poll() is None:
        time.sleep(1)
        rows = psql(["-F", "\x1f"], "SELECT pid, extract(epoch FROM now() - query_start) FROM pg_stat_activity "
                                    "WHERE application_name = 'bad_input' AND state = 'active'", timeout=10)
        for line in rows.stdout.splitlines():
            pid, age = line.split("\x1f")
            if float(age) > hang_s:
                killed["killed"] = True
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (PermissionError, ProcessLookupError):
                    psql([], f"SELECT pg_terminate_backend({pid})", timeout=10)


def wait_for_server():
    for _ in range(60):
        if psql([], "SELECT 1", timeout=10).returncode == 0:
            return
        time.sleep(1)
    sys.exit("bad_input: the server did not come back after a crash")


def judge(case, result, slow_ms):
    """None when the case passed, else the reason."""
    status, sqlstate, ms, text = result
    if status in ("crash", "hang"):
        return f"{status}: {text}"
    if status == "error":
        if sqlstate == "XX000":
            return f"XX000: {text}"
        if sqlstate == "57014":
            return "statement timeout (ran too long)"
        return None
    if re.search(r"\bNaN\b|Infinity", text):
        return f"non-finite value: {text[:200]}"
    if "-9223372036854775808" in text:
        return f"int64 minimum (an out-of-range conversion): {text[:200]}"
    if PROBABILITY.match(case.function) and case.scalar and text != "<NULL>":
        try:
            v = float(text)
            if not 0 <= v <= 1:
                return f"probability outside [0, 1]: {text}"
        except ValueError:
            pass
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=5.0, help="statement_timeout of each call, seconds")
    parser.add_argument("--hang", type=float, default=20.0, help="kill a call running longer (seconds)")
    parser.add_argument("--slow-ms", type=float, default=10.0, help="list scalar calls slower than this")
    parser.add_argument("--only", help="regular expression: only functions whose name matches")
    parser.add_argument("--list", action="store_true", help="print the generated calls and stop")
    opts = parser.parse_args()

    out = psql([], probe_setup())
    if out.returncode != 0:
        sys.exit(out.stderr)
    catalog = Catalog()
    if opts.only:
        catalog.functions = [f for f in catalog.functions if re.search(opts.only, f["name"])]

    cases = generate(find_bases(catalog, opts.timeout, opts.hang), catalog)
    if opts.list:
        for c in cases:
            print(f"{c.function}\t{c.label}\t{c.sql}")
        return 0
    started = time.time()
    results = run_cases(cases, opts.timeout, opts.hang)
    failures, slow, errors_by_state = [], [], {}
    for i, case in enumerate(cases):
        result = results[i]
        reason = judge(case, result, opts.slow_ms)
        if reason:
            failures.append((case, reason))
        if result[0] == "error":
            errors_by_state[result[1]] = errors_by_state.get(result[1], 0) + 1
        if case.scalar and result[0] == "ok" and result[2] > opts.slow_ms:
            slow.append((case, result[2]))
    for case, reason in failures:
        print(f"FAIL {case.function} [{case.label}]: {reason}\n     {case.sql[:300]}")
    for case, ms in sorted(slow, key=lambda x: -x[1])[:20]:
        print(f"slow {ms:.1f} ms {case.function} [{case.label}]")
    functions = len({c.function for c in cases})
    print(f"bad_input: {len(cases)} calls of {functions} functions in {time.time() - started:.0f} s; errors by "
          f"SQLSTATE: " + ", ".join(f"{k} {v}" for k, v in sorted(errors_by_state.items())))
    print(f"bad_input: {len(cases) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
