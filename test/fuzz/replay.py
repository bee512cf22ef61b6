#!/usr/bin/env python3
"""Replays the sqlsmith queries that call the extension, and judges them as the bad-input matrix does.

sqlsmith picks functions from the whole catalog and cannot be restricted to one extension, so it runs with
--dry-run and only the generated queries that call one of the extension's functions are replayed here, each in
its own statement with a statement timeout (a crash or a hang is detected and survived, see bad_input.py).
A query passes unless it crashes the backend, hangs past the statement timeout, or fails with SQLSTATE XX000.

    replay.py QUERIES.sql      (queries separated by ";\\n", as sqlsmith --dry-run prints them)
Connection: PGHOST/PGPORT/PGUSER/PGDATABASE. Prints "sqlsmith: N passed, N failed" last; exits 1 on a failure.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bad_input"))
import bad_input  # noqa: E402

# XX000 errors that PostgreSQL's own parser raises for some of sqlsmith's odd queries before any function of the
# extension runs (type resolution of `unknown` literals); the extension's code has no such message. Listed
# here, and reported as notes, not failures.
POSTGRES_PARSER_XX000 = re.compile(r"^failed to find conversion function from unknown to ")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = bad_input.psql([], bad_input.probe_setup())
    if out.returncode != 0:
        sys.exit(out.stderr)
    catalog = bad_input.Catalog()
    names = "|".join(sorted({re.escape(f["name"]) for f in catalog.functions}, key=len, reverse=True))
    calls = re.compile(r"\bpublic\.(" + names + r")\s*\(")
    queries = [q.strip() for q in open(sys.argv[1]).read().split(";\n") if q.strip()]
    cases = []
    for q in queries:
        found = calls.findall(q)
        if found:
            # The probe reads one text value: wrap the query and consume every row it returns.
            cases.append(bad_input.Case(",".join(sorted(set(found))), "sqlsmith",
                                        f"SELECT count(*)::text FROM ({q}) AS fuzz", False))
    results = bad_input.run_cases(cases, timeout_s=2.0, hang_s=20.0)
    failures, reached = [], {}
    for i, case in enumerate(cases):
        status, sqlstate, _, text = results[i]
        for name in case.function.split(","):
            reached[name] = reached.get(name, 0) + 1
        if sqlstate == "XX000" and POSTGRES_PARSER_XX000.match(text):
            print(f"note [{case.function}]: PostgreSQL's parser: {text[:200]}")
        elif status in ("crash", "hang") or sqlstate == "XX000":
            failures.append((case, f"{status} {sqlstate} {text[:200]}"))
    for case, reason in failures:
        print(f"FAIL [{case.function}]: {reason}\n     {case.sql[:400]}")
    print(f"sqlsmith: {len(queries)} generated, {len(cases)} call the extension, reaching {len(reached)} "
          f"functions: " + ", ".join(f"{k} {v}" for k, v in sorted(reached.items())))
    print(f"sqlsmith: {len(cases) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
