#!/usr/bin/env python3
"""Runs the SQL examples of README.md and docs/*.md and compares what psql prints with the output the doc shows.

The convention (docs/contributing.md, "Examples in the docs"):
  - a ```sql block is an example and runs; every block of one file runs in order in one psql session, in a
    fresh database that has the extension and the fixture tables of test/docs/fixtures.sql;
  - a ```text block that starts on the line right after a ```sql block's closing fence is that example's
    expected output, compared with what psql prints (aligned format, no row-count footers, TimeZone UTC),
    trailing spaces and surrounding blank lines aside; an example without one must print no ERROR or WARNING;
  - ```sql cdnow: the example uses the CDNOW fixture (test/docs/fixtures_cdnow.sql), run only where the
    reference data is present, else counted as skipped;
  - ```sql norun: a listing that is not an example (function signatures), never run.
Usage: check_docs.py TEMPLATE_DB HAVE_CDNOW(0|1) FILE...; psql from PATH with PGHOST etc. set. Prints one line a
example and "docs: N passed, M failed, K skipped" last; exits 1 on a failure."""
import difflib
import os
import re
import subprocess
import sys

template, have_cdnow, files = sys.argv[1], sys.argv[2] == '1', sys.argv[3:]
MARK = '@@loyalty-docs-example@@'


def examples(path):
    """(line number, options, sql, expected output or None) of every ```sql block of the file."""
    lines = open(path, encoding='utf-8').read().split('\n')
    found, i = [], 0
    while i < len(lines):
        m = re.match(r'^```sql\b(.*)$', lines[i])
        if not m:
            i += 1
            continue
        start, options = i + 1, m.group(1).split()
        j = i + 1
        while not lines[j].startswith('```'):
            j += 1
        sql = '\n'.join(lines[i + 1:j])
        expected = None
        if j + 1 < len(lines) and lines[j + 1].rstrip() == '```text':
            k = j + 2
            while not lines[k].startswith('```'):
                k += 1
            expected = '\n'.join(lines[j + 2:k])
            j = k
        found.append((start, options, sql, expected))
        i = j + 1
    return found


def normalise(text):
    return '\n'.join(line.rstrip() for line in text.strip('\n').split('\n')).strip('\n')


passed = failed = skipped = 0
for path in files:
    name = os.path.relpath(path)
    runnable = []
    for start, options, sql, expected in examples(path):
        if 'norun' in options:
            continue
        if 'cdnow' in options and not have_cdnow:
            skipped += 1
            print(f'skipped: {name}:{start} (needs the CDNOW reference data)')
            continue
        runnable.append((start, sql, expected))
    if not runnable:
        continue
    db = 'loyalty_docs_' + re.sub(r'[^a-z0-9]+', '_', name.lower())
    subprocess.run(['dropdb', '--if-exists', db], check=True, stderr=subprocess.DEVNULL)
    subprocess.run(['createdb', '-T', template, db], check=True)
    script = '\\pset footer off\n'
    for start, sql, _ in runnable:
        script += f"\\echo '{MARK}'\n{sql}\n;\n"
    run = subprocess.run(['psql', '-X', '-q', '-d', db], input=script, text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=dict(os.environ, PGTZ='UTC', PGDATESTYLE='ISO, MDY'))
    outputs = run.stdout.split(MARK + '\n')[1:]
    if len(outputs) != len(runnable):
        print(f'FAILED: {name}: psql stopped early ({len(outputs)} of {len(runnable)} examples ran)')
        print(run.stdout[-2000:])
        failed += len(runnable)
        continue
    for (start, sql, expected), actual in zip(runnable, outputs):
        actual = normalise(actual)
        if expected is None:
            ok = not re.search(r'^(ERROR|WARNING|FATAL):', actual, re.M)
        else:
            ok = actual == normalise(expected)
        if ok:
            passed += 1
            print(f'ok: {name}:{start}')
        else:
            failed += 1
            print(f'FAILED: {name}:{start}')
            if expected is None:
                print(actual)
            else:
                diff = difflib.unified_diff(normalise(expected).split('\n'), actual.split('\n'),
                                            'the doc shows', 'psql prints', lineterm='')
                print('\n'.join(diff))
    subprocess.run(['dropdb', '--if-exists', db], check=True, stderr=subprocess.DEVNULL)

print(f'docs: {passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed else 0)
