#!/usr/bin/env python3
"""Benchmark driver: runs the cases of bench/*.bench side by side against a running server and prints ratios.

A .bench file has sections, each starting with a comment line:
    -- setup                      SQL run once (builds the data; end with ANALYZE)
    -- case NAME                  one SQL statement to time
    -- ratio NAME_A / NAME_B <= X  printed as median(A) / median(B) with the goal X

Method (the machines are shared and noisy, absolute times drift): one psql session per file, JIT off, every case
run twice to warm the cache, then ROUNDS rounds in which every case runs once, in an order rotated each round;
each case's median is taken. Only ratios measured in the same run are reported as results.
Connection: the usual PGHOST/PGPORT/PGUSER/PGDATABASE environment.
"""
import os
import re
import statistics
import subprocess
import sys

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
# Each file's cases run at each of these work_mem settings, in turn, after one setup: PostgreSQL's default
# (4MB) and a tuned one. BENCH_WORK_MEM=256MB runs only the tuned setting.
WORK_MEM = [w.strip() for w in os.environ.get("BENCH_WORK_MEM", "4MB,256MB").split(",") if w.strip()]


def parse(path):
    setup, cases, ratios, current = [], {}, [], None
    for line in open(path):
        m = re.match(r"--\s*(setup|case|ratio)\b\s*(.*)$", line.strip())
        if m:
            kind, rest = m.groups()
            if kind == "setup":
                current = setup
            elif kind == "case":
                current = cases.setdefault(rest.strip(), [])
            else:
                r = re.match(r"(\w+)\s*/\s*(\w+)\s*(<=|>=)\s*([0-9.]+)", rest)
                if not r:
                    sys.exit(f"{path}: cannot read ratio line: {line.strip()}")
                ratios.append(r.groups())
                current = None
            continue
        if current is not None:
            current.append(line)
    return "".join(setup), {k: "".join(v).strip() for k, v in cases.items()}, ratios


def psql(script):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"], input=script, text=True,
                         capture_output=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    return out.stdout


def run_file(path):
    setup, cases, ratios = parse(path)
    name = os.path.basename(path)
    if setup.strip():
        psql(setup)
    ok = True
    for work_mem in WORK_MEM:
        print(f"\n== {name}: {len(cases)} cases, {ROUNDS} rounds, work_mem {work_mem}"
              f"{' (PostgreSQL default)' if work_mem == '4MB' else ''}", flush=True)
        ok &= run_cases(cases, ratios, work_mem)
    return ok


def run_cases(cases, ratios, work_mem):
    names = list(cases)
    order = []
    for warm in range(2):
        order += [(None, n) for n in names]
    for r in range(ROUNDS):
        k = r % len(names)
        order += [(r, n) for n in names[k:] + names[:k]]
    script = ["SET jit = off;", f"SET work_mem = '{work_mem}';", "\\timing on", "\\o /dev/null"]
    for r, n in order:
        script.append(f"\\echo @case {n}")
        script.append(cases[n].rstrip().rstrip(";") + ";")
    out = psql("\n".join(script) + "\n")
    times, pending = {n: [] for n in names}, None
    warm_left = 2 * len(names)
    for line in out.splitlines():
        if line.startswith("@case "):
            pending = line[6:].strip()
        m = re.match(r"Time: ([0-9.]+) ms", line)
        if m and pending:
            if warm_left > 0:
                warm_left -= 1
            else:
                times[pending].append(float(m.group(1)))
            pending = None
    medians = {n: statistics.median(t) for n, t in times.items()}
    for n in names:
        print(f"  {n:<32} median {medians[n]:10.1f} ms")
    ok = True
    for a, b, op, goal in ratios:
        ratio = medians[a] / medians[b]
        met = ratio <= float(goal) if op == "<=" else ratio >= float(goal)
        ok &= met
        print(f"  ratio {a} / {b} = {ratio:6.2f}   (goal {op} {goal}: {'met' if met else 'NOT met'})")
    return ok


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    files = argv or sorted(os.path.join(here, f) for f in os.listdir(here) if f.endswith(".bench"))
    results = [run_file(f) for f in files]
    print(f"\n{sum(results)} of {len(results)} benchmark files met all their goals")


if __name__ == "__main__":
    main(sys.argv[1:])
