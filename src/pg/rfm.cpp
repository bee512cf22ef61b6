// SQL binding of RFM scoring (src/sql/210_rfm.sql):
//   rfm_score(days_since_last, frequency, monetary [, buckets]) OVER (...)   a window function
//   rfm_thresholds(days_since_last, frequency, monetary [, buckets])        an aggregate -> rfm_breakpoints
//   rfm_score(days_since_last, frequency, monetary, rfm_breakpoints)        a scalar
//   rfm_segment(r, f, m), rfm_segment(code)
// The quantile rule and the segment map are in src/core/rfm.hpp.
//
// The window function reads the whole partition on its first row (one sweep per argument through the
// partition's tuplestore), computes the breakpoints once, keeps each row's three scores (one byte each) in
// the partition's local memory and returns them row by row. The frame clause is irrelevant to it.
//
// C++ work (the core's sorting and selection, which allocate) runs inside cpp_boundary; everything else here
// is plain C-style code that may ereport, with no C++ object alive.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "rfm.hpp"

#include "boundary.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "executor/executor.h"
#include "windowapi.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::RfmOrder;
using loyalty::RfmScore;

constexpr int kResultFields = 5;      // rfm_result: r, f, m, code, segment
constexpr int kBreakpointFields = 5;  // rfm_breakpoints: buckets, recency, frequency, monetary, customers
constexpr int kMaxCodes = 9 * 9 * 9;  // codes of up to 9 buckets
constexpr int64 kMaxThresholdRows = 40000000;  // rfm_thresholds' state: 24 bytes a row, under 1 GB serialised

const char* const kArgumentNames[3] = {"days_since_last", "frequency", "monetary"};

// ---- results --------------------------------------------------------------------------------------------

// Breakpoints as plain arrays (what the scalar scorer keeps between calls).
struct PlainBreakpoints {
  int32 buckets;
  double recency[loyalty::kRfmMaxBuckets - 1];
  double frequency[loyalty::kRfmMaxBuckets - 1];
  double monetary[loyalty::kRfmMaxBuckets - 1];
};

// Per call site: the result descriptor and the text values of codes and segment names, made once; for the
// scalar scorer also the breakpoints last parsed (stored breakpoints are usually one value for the whole
// query).
struct ResultCache {
  TupleDesc tupdesc;
  Datum codes[kMaxCodes];  // 0 until made
  Datum segments[loyalty::kRfmSegments];
  Size breakpoints_length;  // of the composite datum last parsed; 0 before the first
  char* breakpoints_bytes;
  PlainBreakpoints breakpoints;
};

ResultCache* result_cache(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<ResultCache*>(fcinfo->flinfo->fn_extra);
  if (cache != nullptr) return cache;
  TupleDesc tupdesc;
  if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE ||
      tupdesc->natts != kResultFields)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("rfm_score must return rfm_result")));
  MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
  cache = static_cast<ResultCache*>(palloc0(sizeof(ResultCache)));
  cache->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
  for (int s = 0; s < loyalty::kRfmSegments; ++s)
    cache->segments[s] =
        PointerGetDatum(cstring_to_text(loyalty::rfm_segment_name(static_cast<loyalty::RfmSegment>(s))));
  MemoryContextSwitchTo(old);
  fcinfo->flinfo->fn_extra = cache;
  return cache;
}

// The rfm_result (r, f, m, code, segment) of scores in 1..buckets; the segment is NULL unless buckets = 5.
Datum make_result(FunctionCallInfo fcinfo, int r, int f, int m, int buckets) {
  ResultCache* cache = result_cache(fcinfo);
  const int index = ((r - 1) * 9 + (f - 1)) * 9 + (m - 1);
  if (cache->codes[index] == 0) {
    char code[4] = {static_cast<char>('0' + r), static_cast<char>('0' + f), static_cast<char>('0' + m), '\0'};
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    cache->codes[index] = PointerGetDatum(cstring_to_text(code));
    MemoryContextSwitchTo(old);
  }
  Datum values[kResultFields] = {Int32GetDatum(r), Int32GetDatum(f), Int32GetDatum(m), cache->codes[index],
                                 0};
  bool nulls[kResultFields] = {false, false, false, false, true};
  if (buckets == loyalty::kRfmDefaultBuckets) {
    // The map's lookup cannot fail for scores 1..5.
    int segment = 0;
    loyalty::pg::cpp_boundary([&] {
      segment = static_cast<int>(loyalty::rfm_segment(r, f, m));
      return Datum(0);
    });
    values[4] = cache->segments[segment];
    nulls[4] = false;
  }
  return HeapTupleGetDatum(heap_form_tuple(cache->tupdesc, values, nulls));
}

void check_not_nan(double value, int argno) {
  if (std::isnan(value))
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("rfm: %s is NaN", kArgumentNames[argno])));
}

int checked_buckets(bool isnull, Datum value) {
  if (isnull)
    ereport(ERROR,
            (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("rfm: the number of buckets must not be null")));
  const int32 buckets = DatumGetInt32(value);
  loyalty::pg::cpp_boundary([&] {
    loyalty::validate_rfm_buckets(buckets);
    return Datum(0);
  });
  return buckets;
}

std::function<void()> interrupt_checker() {
  return [] { loyalty::pg::check_for_interrupts(); };
}

// ---- the window function --------------------------------------------------------------------------------

struct RfmPartition {
  bool computed;
  int32 buckets;
  uint8 scores[FLEXIBLE_ARRAY_MEMBER];  // r, f, m of each row; 0 for a row with a NULL input
};

void* allocate_huge(Size size, const char* what) {
  void* p = MemoryContextAllocExtended(CurrentMemoryContext, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
  if (p == nullptr)
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                    errdetail("rfm: cannot allocate %s.", what)));
  return p;
}

// Reads the partition, scores it and fills `partition`.
void score_partition(FunctionCallInfo fcinfo, WindowObject win, RfmPartition* partition, int64 rows,
                     bool with_buckets) {
  int buckets = loyalty::kRfmDefaultBuckets;
  if (with_buckets) {
    bool isnull, isout;
    const bool constant = get_fn_expr_arg_stable(fcinfo->flinfo, 3);
    for (int64 i = 0; i < (constant ? 1 : rows); ++i) {
      Datum v =
          WinGetFuncArgInPartition(win, 3, static_cast<int>(i), WINDOW_SEEK_HEAD, false, &isnull, &isout);
      const int b = checked_buckets(isnull, v);
      if (i > 0 && b != buckets)
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                 errmsg("rfm_score: the number of buckets must be the same on every row of a partition")));
      buckets = b;
    }
  }
  partition->buckets = buckets;

  double* columns[3];
  bool* complete = static_cast<bool*>(allocate_huge(sizeof(bool) * rows, "the row flags"));
  memset(complete, 1, sizeof(bool) * rows);
  for (int arg = 0; arg < 3; ++arg) {
    double* values = static_cast<double*>(allocate_huge(sizeof(double) * rows, "the partition's values"));
    columns[arg] = values;
    for (int64 i = 0; i < rows; ++i) {
      bool isnull, isout;
      Datum v =
          WinGetFuncArgInPartition(win, arg, static_cast<int>(i), WINDOW_SEEK_HEAD, false, &isnull, &isout);
      if (isnull) {
        complete[i] = false;
        values[i] = 0;
      } else {
        values[i] = DatumGetFloat8(v);
        check_not_nan(values[i], arg);
      }
    }
  }
  // Only complete rows take part: pack them to the front of each column.
  int64 n = 0;
  for (int64 i = 0; i < rows; ++i) {
    if (!complete[i]) continue;
    for (double* values : columns) values[n] = values[i];
    ++n;
  }
  auto* scores = static_cast<RfmScore*>(allocate_huge(sizeof(RfmScore) * (n > 0 ? n : 1), "the scores"));
  loyalty::pg::cpp_boundary([&] {
    loyalty::rfm_score_all(columns[0], columns[1], columns[2], static_cast<size_t>(n), buckets, scores,
                           interrupt_checker());
    return Datum(0);
  });
  int64 k = 0;
  for (int64 i = 0; i < rows; ++i) {
    uint8* row = &partition->scores[3 * i];
    if (complete[i]) {
      row[0] = static_cast<uint8>(scores[k].r);
      row[1] = static_cast<uint8>(scores[k].f);
      row[2] = static_cast<uint8>(scores[k].m);
      ++k;
    }
  }
  pfree(scores);
  pfree(complete);
  for (double* values : columns) pfree(values);
  partition->computed = true;
}

Datum rfm_window(FunctionCallInfo fcinfo, bool with_buckets) {
  WindowObject win = PG_WINDOW_OBJECT();
  if (!WindowObjectIsValid(win))
    ereport(ERROR,
            (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("rfm_score must be called with OVER (...)")));
  const int64 rows = WinGetPartitionRowCount(win);
  if (rows > PG_INT32_MAX)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("rfm_score: a partition has more than %d rows", PG_INT32_MAX)));
  auto* partition = static_cast<RfmPartition*>(
      WinGetPartitionLocalMemory(win, offsetof(RfmPartition, scores) + 3 * static_cast<Size>(rows)));
  if (!partition->computed) score_partition(fcinfo, win, partition, rows, with_buckets);
  const uint8* row = &partition->scores[3 * WinGetCurrentPosition(win)];
  if (row[0] == 0) PG_RETURN_NULL();
  return make_result(fcinfo, row[0], row[1], row[2], partition->buckets);
}

// ---- breakpoints: the composite and its cache -------------------------------------------------------------

// Reads a float8[] field of an rfm_breakpoints value into `out` (at most kRfmMaxBuckets - 1 values).
int read_breakpoint_array(HeapTupleHeader t, int field, double* out) {
  bool isnull;
  Datum d = GetAttributeByNum(t, static_cast<AttrNumber>(field), &isnull);
  if (isnull)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid rfm_breakpoints: %s breakpoints are NULL", kArgumentNames[field - 2])));
  ArrayType* a = DatumGetArrayTypeP(d);
  const int n = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
  if (ARR_NDIM(a) > 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID || n > loyalty::kRfmMaxBuckets - 1)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("invalid rfm_breakpoints: %s breakpoints must be a float8 array of at most %d values "
                    "without NULLs",
                    kArgumentNames[field - 2], loyalty::kRfmMaxBuckets - 1)));
  memcpy(out, ARR_DATA_PTR(a), sizeof(double) * n);
  return n;
}

const PlainBreakpoints& breakpoints_arg(FunctionCallInfo fcinfo, ResultCache* cache, int argno) {
  HeapTupleHeader t = PG_GETARG_HEAPTUPLEHEADER(argno);
  const Size length = HeapTupleHeaderGetDatumLength(t);
  if (cache->breakpoints_length == length && memcmp(cache->breakpoints_bytes, t, length) == 0)
    return cache->breakpoints;

  PlainBreakpoints p{};
  bool isnull;
  Datum b = GetAttributeByNum(t, 1, &isnull);
  if (isnull)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid rfm_breakpoints: buckets is NULL")));
  p.buckets = DatumGetInt32(b);
  const int nr = read_breakpoint_array(t, 2, p.recency);
  const int nf = read_breakpoint_array(t, 3, p.frequency);
  const int nm = read_breakpoint_array(t, 4, p.monetary);
  loyalty::pg::cpp_boundary([&] {
    loyalty::RfmBreakpoints check;
    check.buckets = p.buckets;
    check.recency.assign(p.recency, p.recency + nr);
    check.frequency.assign(p.frequency, p.frequency + nf);
    check.monetary.assign(p.monetary, p.monetary + nm);
    try {
      loyalty::validate_rfm_breakpoints(check);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("invalid rfm_breakpoints: ") + e.what());
    }
    return Datum(0);
  });
  if (cache->breakpoints_bytes != nullptr) pfree(cache->breakpoints_bytes);
  cache->breakpoints_bytes = static_cast<char*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, length));
  memcpy(cache->breakpoints_bytes, t, length);
  cache->breakpoints_length = length;
  cache->breakpoints = p;
  return cache->breakpoints;
}

// ---- rfm_thresholds state -------------------------------------------------------------------------------

// The customers' values as interleaved triples (days_since_last, frequency, monetary), grown by
// repalloc_huge, which for large chunks lets the C library move pages rather than copy them.
struct ThresholdState {
  int32 buckets;
  int64 count;
  int64 capacity;  // triples
  double* values;
};

ThresholdState* new_threshold_state(MemoryContext context, int32 buckets, int64 capacity) {
  auto* state = static_cast<ThresholdState*>(MemoryContextAllocZero(context, sizeof(ThresholdState)));
  state->buckets = buckets;
  state->capacity = capacity < 64 ? 64 : capacity;
  state->values = static_cast<double*>(
      MemoryContextAllocHuge(context, sizeof(double) * 3 * static_cast<Size>(state->capacity)));
  return state;
}

// Room for `more` rows.
void reserve_rows(ThresholdState* state, int64 more) {
  const int64 needed = state->count + more;
  if (needed <= state->capacity) return;
  if (needed > kMaxThresholdRows)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("rfm_thresholds: more than %lld rows in one group",
                           static_cast<long long>(kMaxThresholdRows))));
  int64 capacity = state->capacity;
  while (capacity < needed) capacity *= 2;
  if (capacity > kMaxThresholdRows) capacity = kMaxThresholdRows;
  state->values =
      static_cast<double*>(repalloc_huge(state->values, sizeof(double) * 3 * static_cast<Size>(capacity)));
  state->capacity = capacity;
}

void check_same_buckets(const ThresholdState* state, int32 buckets) {
  if (state->buckets != buckets)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("rfm_thresholds: the number of buckets must be the same on every row of a group, got %d "
                    "and %d",
                    state->buckets, buckets)));
}

constexpr uint32 kThresholdMagic = 0x4c524d32;  // "LRM2"

struct ThresholdHeader {
  uint32 magic;
  int32 buckets;
  int64 count;
};

[[noreturn]] void invalid_threshold_state(const char* why) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid rfm_thresholds state: %s", why)));
  pg_unreachable();
}

Datum thresholds_accum(FunctionCallInfo fcinfo, bool with_buckets) {
  MemoryContext aggcontext;
  if (!AggCheckCallContext(fcinfo, &aggcontext))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("rfm_thresholds_accum called in non-aggregate context")));
  auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<ThresholdState*>(PG_GETARG_POINTER(0));
  int32 buckets = loyalty::kRfmDefaultBuckets;
  if (with_buckets) {
    if (state != nullptr && !PG_ARGISNULL(4) && PG_GETARG_INT32(4) == state->buckets)
      buckets = state->buckets;  // already validated
    else
      buckets = checked_buckets(PG_ARGISNULL(4), PG_GETARG_DATUM(4));
  }
  if (state != nullptr) check_same_buckets(state, buckets);
  if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3)) {  // a customer with a NULL input is not ranked
    if (state == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(state);
  }
  double row[3];
  for (int c = 0; c < 3; ++c) {
    row[c] = PG_GETARG_FLOAT8(c + 1);
    check_not_nan(row[c], c);
  }
  if (state == nullptr) state = new_threshold_state(aggcontext, buckets, 64);
  reserve_rows(state, 1);
  memcpy(&state->values[3 * state->count], row, sizeof row);
  ++state->count;
  PG_RETURN_POINTER(state);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_rfm_score_window);
Datum loyalty_rfm_score_window(PG_FUNCTION_ARGS) {
  return rfm_window(fcinfo, false);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_score_buckets_window);
Datum loyalty_rfm_score_buckets_window(PG_FUNCTION_ARGS) {
  return rfm_window(fcinfo, true);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_score_breakpoints);
Datum loyalty_rfm_score_breakpoints(PG_FUNCTION_ARGS) {
  double x[3];
  for (int c = 0; c < 3; ++c) {
    x[c] = PG_GETARG_FLOAT8(c);
    check_not_nan(x[c], c);
  }
  ResultCache* cache = result_cache(fcinfo);
  const PlainBreakpoints& b = breakpoints_arg(fcinfo, cache, 3);
  const int count = b.buckets - 1;
  const int r = loyalty::rfm_dimension_score(x[0], b.recency, count, RfmOrder::lower_is_better);
  const int f = loyalty::rfm_dimension_score(x[1], b.frequency, count, RfmOrder::higher_is_better);
  const int m = loyalty::rfm_dimension_score(x[2], b.monetary, count, RfmOrder::higher_is_better);
  return make_result(fcinfo, r, f, m, b.buckets);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_thresholds_accum);
Datum loyalty_rfm_thresholds_accum(PG_FUNCTION_ARGS) {
  return thresholds_accum(fcinfo, false);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_thresholds_buckets_accum);
Datum loyalty_rfm_thresholds_buckets_accum(PG_FUNCTION_ARGS) {
  return thresholds_accum(fcinfo, true);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_thresholds_combine);
Datum loyalty_rfm_thresholds_combine(PG_FUNCTION_ARGS) {
  MemoryContext aggcontext;
  if (!AggCheckCallContext(fcinfo, &aggcontext))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("rfm_thresholds_combine called in non-aggregate context")));
  auto* into = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<ThresholdState*>(PG_GETARG_POINTER(0));
  auto* from = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<ThresholdState*>(PG_GETARG_POINTER(1));
  if (from == nullptr) {
    if (into == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(into);
  }
  if (into == nullptr) into = new_threshold_state(aggcontext, from->buckets, from->count);
  check_same_buckets(into, from->buckets);
  reserve_rows(into, from->count);
  memcpy(&into->values[3 * into->count], from->values, sizeof(double) * 3 * from->count);
  into->count += from->count;
  PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_thresholds_serialize);
Datum loyalty_rfm_thresholds_serialize(PG_FUNCTION_ARGS) {
  if (!AggCheckCallContext(fcinfo, nullptr))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("rfm_thresholds_serialize called in non-aggregate context")));
  const auto* state = reinterpret_cast<const ThresholdState*>(PG_GETARG_POINTER(0));
  const Size size = VARHDRSZ + sizeof(ThresholdHeader) + 3 * sizeof(double) * static_cast<Size>(state->count);
  if (!AllocSizeIsValid(size))
    ereport(ERROR,
            (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
             errmsg("rfm_thresholds: a partial state of %lld rows is too large to pass between processes",
                    static_cast<long long>(state->count))));
  auto* result = static_cast<bytea*>(palloc(size));
  SET_VARSIZE(result, size);
  char* p = VARDATA(result);
  const ThresholdHeader h{kThresholdMagic, state->buckets, state->count};
  memcpy(p, &h, sizeof h);
  memcpy(p + sizeof h, state->values, sizeof(double) * 3 * state->count);
  PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_thresholds_deserialize);
Datum loyalty_rfm_thresholds_deserialize(PG_FUNCTION_ARGS) {
  MemoryContext aggcontext;
  if (!AggCheckCallContext(fcinfo, &aggcontext))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("rfm_thresholds_deserialize called in non-aggregate context")));
  bytea* bytes = PG_GETARG_BYTEA_PP(0);
  const Size size = VARSIZE_ANY_EXHDR(bytes);
  const char* p = VARDATA_ANY(bytes);
  ThresholdHeader h;
  if (size < sizeof h) invalid_threshold_state("too short");
  memcpy(&h, p, sizeof h);
  if (h.magic != kThresholdMagic) invalid_threshold_state("unknown format");
  if (h.buckets < loyalty::kRfmMinBuckets || h.buckets > loyalty::kRfmMaxBuckets)
    invalid_threshold_state("buckets out of range");
  if (h.count < 0 || h.count > kMaxThresholdRows ||
      size != sizeof h + 3 * sizeof(double) * static_cast<Size>(h.count))
    invalid_threshold_state("length does not match its row count");
  ThresholdState* state = new_threshold_state(aggcontext, h.buckets, h.count);
  memcpy(state->values, p + sizeof h, sizeof(double) * 3 * h.count);
  for (int64 i = 0; i < 3 * h.count; ++i)
    if (std::isnan(state->values[i])) invalid_threshold_state("NaN value");
  state->count = h.count;
  PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(loyalty_rfm_thresholds_final);
Datum loyalty_rfm_thresholds_final(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  const auto* state = reinterpret_cast<const ThresholdState*>(PG_GETARG_POINTER(0));
  if (state->count == 0) PG_RETURN_NULL();
  PlainBreakpoints b{};
  b.buckets = state->buckets;
  loyalty::pg::cpp_boundary([&] {  // the core copies the values: the state is left as it is
    const loyalty::RfmBreakpoints computed =
        loyalty::rfm_breakpoints(state->values, state->values + 1, state->values + 2,
                                 static_cast<size_t>(state->count), state->buckets, interrupt_checker(), 3);
    std::copy(computed.recency.begin(), computed.recency.end(), b.recency);
    std::copy(computed.frequency.begin(), computed.frequency.end(), b.frequency);
    std::copy(computed.monetary.begin(), computed.monetary.end(), b.monetary);
    return Datum(0);
  });
  TupleDesc tupdesc;
  if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE ||
      tupdesc->natts != kBreakpointFields)
    ereport(ERROR,
            (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("rfm_thresholds must return rfm_breakpoints")));
  tupdesc = BlessTupleDesc(tupdesc);
  const int count = b.buckets - 1;
  const double* lists[3] = {b.recency, b.frequency, b.monetary};
  Datum values[kBreakpointFields];
  bool nulls[kBreakpointFields] = {};
  values[0] = Int32GetDatum(b.buckets);
  for (int c = 0; c < 3; ++c) {
    Datum elements[loyalty::kRfmMaxBuckets - 1];
    for (int j = 0; j < count; ++j) elements[j] = Float8GetDatum(lists[c][j]);
    values[c + 1] = PointerGetDatum(
        construct_array(elements, count, FLOAT8OID, sizeof(double), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
  }
  values[4] = Int64GetDatum(state->count);
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

PG_FUNCTION_INFO_V1(loyalty_rfm_segment_scores);
Datum loyalty_rfm_segment_scores(PG_FUNCTION_ARGS) {
  const int32 r = PG_GETARG_INT32(0), f = PG_GETARG_INT32(1), m = PG_GETARG_INT32(2);
  const char* name = nullptr;
  loyalty::pg::cpp_boundary([&] {
    name = loyalty::rfm_segment_name(loyalty::rfm_segment(r, f, m));
    return Datum(0);
  });
  PG_RETURN_TEXT_P(cstring_to_text(name));
}

PG_FUNCTION_INFO_V1(loyalty_rfm_segment_code);
Datum loyalty_rfm_segment_code(PG_FUNCTION_ARGS) {
  const char* code = text_to_cstring(PG_GETARG_TEXT_PP(0));
  const char* name = nullptr;
  loyalty::pg::cpp_boundary([&] {
    name = loyalty::rfm_segment_name(loyalty::rfm_segment(std::string(code)));
    return Datum(0);
  });
  PG_RETURN_TEXT_P(cstring_to_text(name));
}

}  // extern "C"
