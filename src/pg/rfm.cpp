// SQL binding of RFM scoring (src/sql/210_rfm.sql):
//   rfm_score(days_since_last, frequency, monetary [, buckets]) OVER (...)   a window function
//   rfm_thresholds(days_since_last, frequency, monetary [, buckets])        an aggregate -> rfm_breakpoints
//   rfm_score(days_since_last, frequency, monetary, rfm_breakpoints)        a scalar
//   rfm_segment(r, f, m) (smallint, integer or bigint scores), rfm_segment(code)
// The quantile rule and the segment map are in src/core/rfm.hpp.
//
// The window function reads the whole partition on its first row (one guarded forward sweep through the
// partition's tuplestore, every argument of a row at once), computes the breakpoints once, keeps each row's
// three scores (one byte each) in a per-call-site buffer and returns them row by row; each row's only
// PostgreSQL call that can raise is forming its rfm_result (one guard). The frame clause is irrelevant to it.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>

#include "rfm.hpp"

#include "arguments.hpp"
#include "boundary.hpp"
#include "float8_state.hpp"
#include "internal_state.hpp"
#include "memory.hpp"
#include "result_tuple.hpp"
#include "score_argument.hpp"

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
using loyalty::pg::formatted;
using loyalty::pg::postgres_guard;
using loyalty::pg::ScoreWidth;
using loyalty::pg::SqlStateError;

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

// Per call site (fn_extra): the result type and the text values of codes and segment names, made once; for
// the scalar scorer also the breakpoints last parsed (stored breakpoints are usually one value for the whole
// query); for the window function the scores of the partition being read.
struct ResultCache {
  loyalty::pg::ResultType* type;
  Datum codes[kMaxCodes];  // 0 until made
  Datum segments[loyalty::kRfmSegments];
  Size breakpoints_length;  // of the composite datum last parsed; 0 before the first
  char* breakpoints_bytes;
  PlainBreakpoints breakpoints;
  uint8* scores;          // r, f, m of each row of the window's partition; 0 for a row with a NULL input
  int64 scores_capacity;  // rows
};

// A text datum in fn_mcxt.
Datum cached_text(FunctionCallInfo fcinfo, const char* text) {
  FmgrInfo* flinfo = fcinfo->flinfo;
  return postgres_guard([&] {
    MemoryContext caller = MemoryContextSwitchTo(flinfo->fn_mcxt);
    const Datum value = PointerGetDatum(cstring_to_text(text));
    MemoryContextSwitchTo(caller);
    return value;
  });
}

ResultCache* result_cache(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<ResultCache*>(fcinfo->flinfo->fn_extra);
  if (cache != nullptr) return cache;
  cache = static_cast<ResultCache*>(
      loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(ResultCache), false, true));
  loyalty::pg::result_type(
      fcinfo, {kResultFields, ERRCODE_DATATYPE_MISMATCH, "rfm_score must return rfm_result", false},
      &cache->type);
  for (int s = 0; s < loyalty::kRfmSegments; ++s)
    cache->segments[s] = cached_text(fcinfo, loyalty::rfm_segment_name(static_cast<loyalty::RfmSegment>(s)));
  fcinfo->flinfo->fn_extra = cache;
  return cache;
}

// The rfm_result (r, f, m, code, segment) of scores in 1..buckets; the segment is NULL unless buckets = 5.
Datum make_result(FunctionCallInfo fcinfo, ResultCache* cache, int r, int f, int m, int buckets) {
  const int index = ((r - 1) * 9 + (f - 1)) * 9 + (m - 1);
  if (cache->codes[index] == 0) {
    const char code[4] = {static_cast<char>('0' + r), static_cast<char>('0' + f), static_cast<char>('0' + m),
                          '\0'};
    cache->codes[index] = cached_text(fcinfo, code);
  }
  Datum values[kResultFields] = {Int32GetDatum(r), Int32GetDatum(f), Int32GetDatum(m), cache->codes[index],
                                 0};
  bool nulls[kResultFields] = {false, false, false, false, true};
  if (buckets == loyalty::kRfmDefaultBuckets) {  // the map's lookup cannot fail for scores 1..5
    values[4] = cache->segments[static_cast<int>(loyalty::rfm_segment(r, f, m))];
    nulls[4] = false;
  }
  return loyalty::pg::form_result_tuple(cache->type->desc, values, nulls);
}

[[noreturn]] void value_is_nan(int argno) {
  throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE, formatted("rfm: %s is NaN", kArgumentNames[argno]));
}

void check_not_nan(double value, int argno) {
  if (std::isnan(value)) value_is_nan(argno);
}

// Breakpoints are data values that a later scalar rfm_score compares with: an infinite one would be returned
// as a threshold, so rfm_thresholds takes finite values only (scoring itself ranks infinities fine).
void check_finite(double value, int argno) {
  check_not_nan(value, argno);
  if (std::isinf(value))
    throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                        formatted("rfm_thresholds: %s must be finite", kArgumentNames[argno]));
}

[[noreturn]] void buckets_are_null() {
  throw SqlStateError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "rfm: the number of buckets must not be null");
}

int checked_buckets(bool isnull, Datum value) {
  if (isnull) buckets_are_null();
  const int32 buckets = DatumGetInt32(value);
  loyalty::validate_rfm_buckets(buckets);
  return buckets;
}

std::function<void()> interrupt_checker() {
  return [] { loyalty::pg::check_for_interrupts(); };
}

// ---- the window function --------------------------------------------------------------------------------

// Partition local memory.
struct RfmPartition {
  bool computed;
  int32 buckets;
  int64 rows;
};

// What the sweep over the partition found, in plain values (it runs inside one guard).
struct PartitionSweep {
  int64 first_nan[3];  // the first row whose argument is NaN, per argument; -1: none
  int64 bucket_stop;   // the first row whose buckets is NULL or differs from row 0's; -1: none
  bool bucket_stop_null;
  int32 first_buckets, stop_buckets;
};

// Reads every row's arguments into `columns` (0 for a NULL) and `complete`, in one forward sweep: row by row,
// every argument of a row while the sweep stands on it. A tuplestore spilled to disk (a partition larger than
// work_mem) reads forward block by block, but a read backwards costs one pread a row, so a sweep per
// argument, each rewinding to the first row, made rfm_score about ten times slower at the default work_mem.
// Errors wait for the end of the sweep and are reported in the order of the earlier sweeps: the buckets
// first, then the first argument with a NaN.
void read_partition(FunctionCallInfo fcinfo, WindowObject window, int64 rows, bool with_buckets,
                    double* const columns[3], bool* complete, int* buckets) {
  FmgrInfo* flinfo = fcinfo->flinfo;
  const PartitionSweep sweep = postgres_guard([&] {
    PartitionSweep w{{-1, -1, -1}, -1, false, 0, 0};
    // A constant buckets argument is read on the first row only.
    const bool buckets_per_row = with_buckets && !get_fn_expr_arg_stable(flinfo, 3);
    for (int64 i = 0; i < rows; ++i) {
      bool row_complete = true;
      for (int arg = 0; arg < 3; ++arg) {
        bool isnull, isout;
        const Datum v = WinGetFuncArgInPartition(window, arg, static_cast<int>(i), WINDOW_SEEK_HEAD, false,
                                                 &isnull, &isout);
        double value = 0;
        if (isnull) {
          row_complete = false;
        } else {
          value = DatumGetFloat8(v);
          if (std::isnan(value) && w.first_nan[arg] < 0) w.first_nan[arg] = i;
        }
        columns[arg][i] = value;
      }
      complete[i] = row_complete;
      if (with_buckets && w.bucket_stop < 0 && (i == 0 || buckets_per_row)) {
        bool isnull, isout;
        const Datum v = WinGetFuncArgInPartition(window, 3, static_cast<int>(i), WINDOW_SEEK_HEAD, false,
                                                 &isnull, &isout);
        if (isnull || (i > 0 && DatumGetInt32(v) != w.first_buckets)) {
          w.bucket_stop = i;
          w.bucket_stop_null = isnull;
          w.stop_buckets = isnull ? 0 : DatumGetInt32(v);
        } else if (i == 0) {
          w.first_buckets = DatumGetInt32(v);
        }
      }
      if (i % 10000 == 9999) CHECK_FOR_INTERRUPTS();
    }
    return w;
  });
  *buckets = loyalty::kRfmDefaultBuckets;
  if (with_buckets && rows > 0) {
    if (sweep.bucket_stop == 0) buckets_are_null();
    *buckets = checked_buckets(false, Int32GetDatum(sweep.first_buckets));
    if (sweep.bucket_stop > 0) {
      checked_buckets(sweep.bucket_stop_null, Int32GetDatum(sweep.stop_buckets));
      throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                          "rfm_score: the number of buckets must be the same on every row of a partition");
    }
  }
  for (int arg = 0; arg < 3; ++arg)
    if (sweep.first_nan[arg] >= 0) value_is_nan(arg);
}

// Reads the partition, scores it and fills `partition` and the cache's scores.
void score_partition(FunctionCallInfo fcinfo, WindowObject window, ResultCache* cache,
                     RfmPartition* partition, bool with_buckets) {
  const int64 rows = partition->rows;
  double* columns[3];
  for (double*& values : columns) values = loyalty::pg::allocate_array<double>(rows, true);
  bool* complete = loyalty::pg::allocate_array<bool>(rows, true);
  int buckets;
  read_partition(fcinfo, window, rows, with_buckets, columns, complete, &buckets);
  partition->buckets = buckets;
  if (rows > cache->scores_capacity) {
    auto* scores = static_cast<uint8*>(
        loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, 3 * static_cast<Size>(rows), true));
    if (cache->scores != nullptr) pfree(cache->scores);
    cache->scores = scores;
    cache->scores_capacity = rows;
  }
  // Only complete rows take part: pack them to the front of each column.
  int64 n = 0;
  for (int64 i = 0; i < rows; ++i) {
    if (!complete[i]) continue;
    for (double* values : columns) values[n] = values[i];
    ++n;
  }
  auto* scores = loyalty::pg::allocate_array<RfmScore>(n > 0 ? n : 1, true);
  loyalty::rfm_score_all(columns[0], columns[1], columns[2], static_cast<size_t>(n), buckets, scores,
                         interrupt_checker());
  int64 k = 0;
  for (int64 i = 0; i < rows; ++i) {
    uint8* row = &cache->scores[3 * i];
    if (complete[i]) {
      row[0] = static_cast<uint8>(scores[k].r);
      row[1] = static_cast<uint8>(scores[k].f);
      row[2] = static_cast<uint8>(scores[k].m);
      ++k;
    } else {
      row[0] = row[1] = row[2] = 0;
    }
  }
  pfree(scores);
  pfree(complete);
  for (double* values : columns) pfree(values);
  partition->computed = true;
}

Datum rfm_window(FunctionCallInfo fcinfo, bool with_buckets) {
  WindowObject window = PG_WINDOW_OBJECT();
  if (!WindowObjectIsValid(window))
    throw SqlStateError(ERRCODE_FEATURE_NOT_SUPPORTED, "rfm_score must be called with OVER (...)");
  ResultCache* cache = result_cache(fcinfo);
  const int64 position = WinGetCurrentPosition(window);
  RfmPartition* partition;
  if (position == 0) {  // the partition's first row: its local memory is allocated and its rows counted here
    partition = postgres_guard([&] {
      auto* p = static_cast<RfmPartition*>(WinGetPartitionLocalMemory(window, sizeof(RfmPartition)));
      if (!p->computed) p->rows = WinGetPartitionRowCount(window);
      return p;
    });
  } else {
    // no-raise: rows are evaluated in order, so row 0 allocated it and this only returns it
    partition = static_cast<RfmPartition*>(WinGetPartitionLocalMemory(window, sizeof(RfmPartition)));
  }
  if (!partition->computed) {
    if (position != 0)
      throw SqlStateError(ERRCODE_INTERNAL_ERROR, "rfm_score: a partition began after its first row");
    if (partition->rows > PG_INT32_MAX)
      throw SqlStateError(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                          formatted("rfm_score: a partition has more than %d rows", PG_INT32_MAX));
    score_partition(fcinfo, window, cache, partition, with_buckets);
  }
  const uint8* row = &cache->scores[3 * position];
  if (row[0] == 0) PG_RETURN_NULL();
  return make_result(fcinfo, cache, row[0], row[1], row[2], partition->buckets);
}

// ---- breakpoints: the composite and its cache -------------------------------------------------------------

// The fields of an rfm_breakpoints value (arrays detoasted), read in one guard.
struct BreakpointFields {
  Datum values[kBreakpointFields];
  bool nulls[kBreakpointFields];
};

// Copies a float8[] field of an rfm_breakpoints value into `out` (at most kRfmMaxBuckets - 1 values).
int read_breakpoint_array(const BreakpointFields& fields, int field, double* out) {
  if (fields.nulls[field - 1])
    throw SqlStateError(
        ERRCODE_INVALID_PARAMETER_VALUE,
        formatted("invalid rfm_breakpoints: %s breakpoints are NULL", kArgumentNames[field - 2]));
  const ArrayType* a = reinterpret_cast<const ArrayType*>(DatumGetPointer(fields.values[field - 1]));
  const int n = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
  if (ARR_NDIM(a) > 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID || n > loyalty::kRfmMaxBuckets - 1)
    throw SqlStateError(
        ERRCODE_INVALID_PARAMETER_VALUE,
        formatted("invalid rfm_breakpoints: %s breakpoints must be a float8 array of at most %d "
                  "values without NULLs",
                  kArgumentNames[field - 2], loyalty::kRfmMaxBuckets - 1));
  memcpy(out, ARR_DATA_PTR(a), sizeof(double) * n);
  return n;
}

const PlainBreakpoints& breakpoints_arg(FunctionCallInfo fcinfo, ResultCache* cache, int argno) {
  HeapTupleHeader t = loyalty::pg::composite_argument(fcinfo, argno);
  const Size length = HeapTupleHeaderGetDatumLength(t);
  if (cache->breakpoints_length == length && memcmp(cache->breakpoints_bytes, t, length) == 0)
    return cache->breakpoints;

  const BreakpointFields fields = postgres_guard([&] {
    BreakpointFields f;
    for (int field = 1; field <= 4; ++field) {
      f.values[field - 1] = GetAttributeByNum(t, static_cast<AttrNumber>(field), &f.nulls[field - 1]);
      if (field > 1 && !f.nulls[field - 1])
        f.values[field - 1] = PointerGetDatum(DatumGetArrayTypeP(f.values[field - 1]));
    }
    return f;
  });
  PlainBreakpoints p{};
  if (fields.nulls[0])
    throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid rfm_breakpoints: buckets is NULL");
  p.buckets = DatumGetInt32(fields.values[0]);
  const int nr = read_breakpoint_array(fields, 2, p.recency);
  const int nf = read_breakpoint_array(fields, 3, p.frequency);
  const int nm = read_breakpoint_array(fields, 4, p.monetary);
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
  char* bytes = static_cast<char*>(loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, length));
  memcpy(bytes, t, length);
  if (cache->breakpoints_bytes != nullptr) pfree(cache->breakpoints_bytes);
  cache->breakpoints_bytes = bytes;
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
  auto* state =
      static_cast<ThresholdState*>(loyalty::pg::allocate(context, sizeof(ThresholdState), false, true));
  state->buckets = buckets;
  state->capacity = capacity < 64 ? 64 : capacity;
  state->values = static_cast<double*>(
      loyalty::pg::allocate(context, sizeof(double) * 3 * static_cast<Size>(state->capacity), true));
  return state;
}

// Room for `more` rows.
void reserve_rows(ThresholdState* state, int64 more) {
  const int64 needed = state->count + more;
  if (needed <= state->capacity) return;
  if (needed > kMaxThresholdRows)
    throw SqlStateError(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                        formatted("rfm_thresholds: more than %lld rows in one group",
                                  static_cast<long long>(kMaxThresholdRows)));
  int64 capacity = state->capacity;
  while (capacity < needed) capacity *= 2;
  if (capacity > kMaxThresholdRows) capacity = kMaxThresholdRows;
  // Guarded: repalloc_huge raises when memory runs out (a doubling, so rarely).
  state->values = postgres_guard([&] {
    return static_cast<double*>(
        repalloc_huge(state->values, sizeof(double) * 3 * static_cast<Size>(capacity)));
  });
  state->capacity = capacity;
}

void check_same_buckets(const ThresholdState* state, int32 buckets) {
  if (state->buckets != buckets)
    throw SqlStateError(
        ERRCODE_INVALID_PARAMETER_VALUE,
        formatted(
            "rfm_thresholds: the number of buckets must be the same on every row of a group, got %d and %d",
            state->buckets, buckets));
}

// The internal-state aggregate (internal_state.hpp). Serialised: buckets (int32), count (int64), then the
// count triples.
struct ThresholdTraits {
  using State = ThresholdState;
  static constexpr const char* name = "rfm_thresholds";
  static constexpr uint32 magic = 0x4c524d54;  // "LRMT"
  static constexpr uint32 version = 1;
  static constexpr Size kFixed = sizeof(int32) + sizeof(int64);

  static State* copy(MemoryContext context, State* from) {
    State* state = new_threshold_state(context, from->buckets, from->count);
    memcpy(state->values, from->values, sizeof(double) * 3 * from->count);
    state->count = from->count;
    return state;
  }

  static void merge(MemoryContext, State* into, State* from) {
    check_same_buckets(into, from->buckets);
    reserve_rows(into, from->count);
    memcpy(&into->values[3 * into->count], from->values, sizeof(double) * 3 * from->count);
    into->count += from->count;
  }

  static Size payload_size(const State* state) {
    const Size size = kFixed + 3 * sizeof(double) * static_cast<Size>(state->count);
    if (!AllocSizeIsValid(VARHDRSZ + sizeof(loyalty::pg::InternalStateHeader) + size))
      throw SqlStateError(
          ERRCODE_PROGRAM_LIMIT_EXCEEDED,
          formatted("rfm_thresholds: a partial state of %lld rows is too large to pass between processes",
                    static_cast<long long>(state->count)));
    return size;
  }

  static void write(const State* state, char* out) {
    memcpy(out, &state->buckets, sizeof(int32));
    memcpy(out + sizeof(int32), &state->count, sizeof(int64));
    memcpy(out + kFixed, state->values, sizeof(double) * 3 * state->count);
  }

  static State* read(const char* payload, Size size) {
    int32 buckets;
    int64 count;
    if (size < kFixed) loyalty::pg::invalid_internal_state(name, "too short");
    memcpy(&buckets, payload, sizeof(int32));
    memcpy(&count, payload + sizeof(int32), sizeof(int64));
    if (buckets < loyalty::kRfmMinBuckets || buckets > loyalty::kRfmMaxBuckets)
      loyalty::pg::invalid_internal_state(name, "buckets out of range");
    if (count < 0 || count > kMaxThresholdRows ||
        size != kFixed + 3 * sizeof(double) * static_cast<Size>(count))
      loyalty::pg::invalid_internal_state(name, "length does not match its row count");
    State* state = new_threshold_state(CurrentMemoryContext, buckets, count);
    memcpy(state->values, payload + kFixed, sizeof(double) * 3 * count);
    for (int64 i = 0; i < 3 * count; ++i)
      if (std::isnan(state->values[i])) loyalty::pg::invalid_internal_state(name, "NaN value");
    state->count = count;
    return state;
  }
};

using ThresholdAggregate = loyalty::pg::InternalStateAggregate<ThresholdTraits>;

Datum thresholds_accum(FunctionCallInfo fcinfo, bool with_buckets) {
  MemoryContext context = ThresholdAggregate::aggregate_context(fcinfo, "accum");
  ThresholdState* state = ThresholdAggregate::state_arg(fcinfo, 0);
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
    return PointerGetDatum(state);
  }
  double row[3];
  for (int c = 0; c < 3; ++c) {
    row[c] = PG_GETARG_FLOAT8(c + 1);
    check_finite(row[c], c);
  }
  if (state == nullptr) state = new_threshold_state(context, buckets, 64);
  reserve_rows(state, 1);
  memcpy(&state->values[3 * state->count], row, sizeof row);
  ++state->count;
  return PointerGetDatum(state);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_rfm_score_window) {
  return rfm_window(fcinfo, false);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_score_buckets_window) {
  return rfm_window(fcinfo, true);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_score_breakpoints) {
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
  return make_result(fcinfo, cache, r, f, m, b.buckets);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_thresholds_accum) {
  return thresholds_accum(fcinfo, false);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_thresholds_buckets_accum) {
  return thresholds_accum(fcinfo, true);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_thresholds_combine) {
  return ThresholdAggregate::combine(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_thresholds_serialize) {
  return ThresholdAggregate::serialize(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_thresholds_deserialize) {
  return ThresholdAggregate::deserialize(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_thresholds_final) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  const auto* state = reinterpret_cast<const ThresholdState*>(PG_GETARG_POINTER(0));
  if (state->count == 0) PG_RETURN_NULL();
  // The core copies the values: the state is left as it is.
  const loyalty::RfmBreakpoints computed =
      loyalty::rfm_breakpoints(state->values, state->values + 1, state->values + 2,
                               static_cast<size_t>(state->count), state->buckets, interrupt_checker(), 3);
  const loyalty::pg::ResultType& type = loyalty::pg::result_type(
      fcinfo,
      {kBreakpointFields, ERRCODE_DATATYPE_MISMATCH, "rfm_thresholds must return rfm_breakpoints", false});
  PlainBreakpoints b{};
  std::copy(computed.recency.begin(), computed.recency.end(), b.recency);
  std::copy(computed.frequency.begin(), computed.frequency.end(), b.frequency);
  std::copy(computed.monetary.begin(), computed.monetary.end(), b.monetary);
  const int count = state->buckets - 1;
  const double* lists[3] = {b.recency, b.frequency, b.monetary};
  Datum values[kBreakpointFields];
  const bool nulls[kBreakpointFields] = {};
  values[0] = Int32GetDatum(state->buckets);
  for (int c = 0; c < 3; ++c)
    values[c + 1] = PointerGetDatum(loyalty::pg::float8_array_make(lists[c], count));
  values[4] = Int64GetDatum(state->count);
  return loyalty::pg::form_result_tuple(type.desc, values, nulls);
}

namespace {

// A text datum of a static C string (a segment name).
Datum text_result(const char* text) {
  return postgres_guard([&] { return PointerGetDatum(cstring_to_text(text)); });
}

// rfm_segment(r, f, m) of scores of SQL type W (the smallint, integer and bigint overloads).
template <ScoreWidth W>
Datum segment_of_scores(FunctionCallInfo fcinfo) {
  const int r = loyalty::pg::score_argument<W>(fcinfo, 0, "rfm recency");
  const int f = loyalty::pg::score_argument<W>(fcinfo, 1, "rfm frequency");
  const int m = loyalty::pg::score_argument<W>(fcinfo, 2, "rfm monetary");
  return text_result(loyalty::rfm_segment_name(loyalty::rfm_segment(r, f, m)));
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_rfm_segment_scores) {
  return segment_of_scores<ScoreWidth::kInteger>(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_segment_scores_int2) {
  return segment_of_scores<ScoreWidth::kSmallint>(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_segment_scores_int8) {
  return segment_of_scores<ScoreWidth::kBigint>(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_rfm_segment_code) {
  const varlena* code = loyalty::pg::packed_argument(fcinfo, 0);
  const std::string text(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));
  return text_result(loyalty::rfm_segment_name(loyalty::rfm_segment(text)));
}
