#!/usr/bin/env python3
"""Checks that the binding layer (src/pg) keeps the boundary rule of src/pg/boundary.hpp.

1. Every SQL entry point is a LOYALTY_SQL_FUNCTION: PG_FUNCTION_INFO_V1 appears nowhere else.
2. A PostgreSQL call that may raise (the RAISING list below: ereport, palloc, detoasting, catalog lookups,
   window-API reads, ...) appears only inside the parentheses of a postgres_guard(...) call, or on a line
   that says why it cannot raise with a `// no-raise: <reason>` comment (on that line or the one above).
Files implementing the mechanism (MECHANISM), C-style files not yet converted (C_STYLE) and files whose
PostgreSQL code runs wholly inside one guard of their entry point (GUARDED_WHOLE) are skipped; a C_STYLE
file that no longer needs the exemption is reported, so that the list only shrinks.

Limits, honestly: this is a textual check of names, not a proof. A raising call whose name is not in the
list, or one hidden behind a macro or a helper of another library, passes. It does not check that a guarded
lambda holds no object with a destructor, nor that helpers which throw are only called inside a body.
Usage: check_boundary.py [SRC_PG_DIR]; exit status 1 with one line per finding.
"""
import os
import re
import sys

MECHANISM = {
    "boundary.hpp",  # cpp_boundary, postgres_guard: the guards themselves
    "boundary.cpp",
    "memory.hpp",  # MemoryContextAllocExtended with MCXT_ALLOC_NO_OOM and a checked size: cannot raise
    "postgres_headers.hpp",
}
# C-style files not yet converted to LOYALTY_SQL_FUNCTION bodies (none now: the list may only shrink).
C_STYLE = set()
# Files whose PostgreSQL code lives in plain C-style functions that run only inside one postgres_guard of the
# entry point (no C++ object, no C++ call that throws): SPI-heavy code such as a trigger.
GUARDED_WHOLE = {
    "customer_state_trigger.cpp",  # run_trigger(), called only as postgres_guard([&] { run_trigger(fcinfo); })
}

RAISING = [
    "ereport", "elog", "PG_RE_THROW", "ReThrowError", "PG_TRY", "sigsetjmp", "siglongjmp",
    "palloc", "palloc0", "palloc_extended", "repalloc", "repalloc_huge", "pstrdup", "pnstrdup", "psprintf",
    "MemoryContextAlloc", "MemoryContextAllocZero", "MemoryContextAllocHuge", "MemoryContextAllocExtended",
    "MemoryContextStrdup", "makeStringInfo", "appendStringInfo",
    "PG_GETARG_ARRAYTYPE_P", "PG_GETARG_ARRAYTYPE_P_COPY", "PG_GETARG_TEXT_P", "PG_GETARG_TEXT_PP",
    "PG_GETARG_BYTEA_P", "PG_GETARG_BYTEA_PP", "PG_GETARG_HEAPTUPLEHEADER", "PG_GETARG_VARLENA_P",
    "PG_GETARG_VARLENA_PP", "PG_DETOAST_DATUM", "PG_DETOAST_DATUM_COPY", "PG_DETOAST_DATUM_PACKED",
    "DatumGetArrayTypeP", "DatumGetArrayTypePCopy", "DatumGetTextP", "DatumGetTextPP", "DatumGetByteaP",
    "DatumGetByteaPP", "DatumGetHeapTupleHeader", "pg_detoast_datum", "pg_detoast_datum_copy",
    "pg_detoast_datum_packed", "detoast_attr",
    "get_call_result_type", "BlessTupleDesc", "CreateTupleDescCopy", "lookup_rowtype_tupdesc",
    "lookup_rowtype_tupdesc_copy", "get_func_rettype", "get_element_type", "get_typlenbyvalalign",
    "type_is_rowtype", "GetAttributeByNum", "GetAttributeByName",
    "heap_form_tuple", "heap_copytuple", "construct_array", "construct_md_array", "construct_empty_array",
    "deconstruct_array", "text_to_cstring", "cstring_to_text", "cstring_to_text_with_len",
    "WinGetPartitionRowCount", "WinGetFuncArgInPartition", "WinGetFuncArgInFrame", "WinGetFuncArgCurrent",
    "WinGetPartitionLocalMemory", "WinSetMarkPosition", "WinRowsArePeers",
    "CHECK_FOR_INTERRUPTS", "downcase_truncate_identifier", "DecodeTimezoneAbbrev", "pg_tzset",
    "DetermineTimeZoneAbbrevOffsetTS", "SPI_connect", "SPI_execute", "SPI_finish",
]
RAISING_RE = re.compile(r"\b(" + "|".join(RAISING) + r"|(?:Direct|Oid)?FunctionCall\d+(?:Coll)?)\s*\(")
GUARD_RE = re.compile(r"\bpostgres_guard\s*\(")


def blank_comments_and_literals(text):
    """The text with comments, string and character literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def guarded_ranges(code):
    """[start, end) character ranges inside the parentheses of postgres_guard(...) calls."""
    ranges = []
    for m in GUARD_RE.finditer(code):
        depth, j = 1, m.end()
        while j < len(code) and depth > 0:
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            j += 1
        ranges.append((m.end(), j))
    return ranges


def findings_of(path):
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    code = blank_comments_and_literals(text)
    guarded = guarded_ranges(code)
    found = []

    def line_of(pos):
        return code.count("\n", 0, pos) + 1

    def exempt(line):
        return "no-raise:" in lines[line - 1] or (line >= 2 and "no-raise:" in lines[line - 2])

    for m in re.finditer(r"\bPG_FUNCTION_INFO_V1\s*\(", code):
        found.append((line_of(m.start()), "an SQL entry point outside LOYALTY_SQL_FUNCTION"))
    for m in RAISING_RE.finditer(code):
        if any(a <= m.start() < b for a, b in guarded):
            continue
        line = line_of(m.start())
        if not exempt(line):
            found.append((line, "%s outside postgres_guard" % m.group(1)))
    return [f"{path}:{line}: {why}" for line, why in found]


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src", "pg")
    problems = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".cpp", ".hpp")) or name in MECHANISM or name in GUARDED_WHOLE:
            continue
        findings = findings_of(os.path.join(folder, name))
        if name in C_STYLE:
            if not findings:
                problems.append(f"{folder}/{name}: keeps the rule now; remove it from C_STYLE in {__file__}")
            continue
        problems.extend(findings)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} place(s) break the boundary rule of src/pg/boundary.hpp")
        return 1
    print("src/pg keeps the boundary rule (checked by name: see the limits in scripts/check_boundary.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
