// SQL binding of the period retention aggregates: retention_rate, churn_rate and retention_stats over
// activity spans (contractual) or over first/last orders and an inactivity interval (non-contractual), and
// retention_series, the same figures for consecutive periods in one scan. Definitions:
// src/core/retention.hpp.
//
// States (float8[], see src/core/counter_state.hpp):
//   spans:       [at_start, at_end, new_customers, churned, period_start, period_end]
//   inactivity:  [... the same six ..., inactivity months, days, microseconds]
//   series:      [run_starts 0..P, run_ends 0..P, first_period_start, length months, days, microseconds, P]
// Instants are stored as Unix epoch seconds (what extract(epoch from ...) gives), checked on entry to convert
// back to the same microsecond. Parameters are constant within a group: a row that disagrees is an error.
#include <cmath>

#include "counter_state.hpp"
#include "retention.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "common/int.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::RetentionCounts;
using loyalty::RetentionSummary;

constexpr int kCounters = loyalty::kRetentionCounters;
constexpr int kSpanLength = kCounters + 2;          // + period_start, period_end
constexpr int kInactivityLength = kSpanLength + 3;  // + inactivity months, days, microseconds
constexpr int kPeriodStartSlot = kCounters, kPeriodEndSlot = kCounters + 1;
constexpr int kInactivitySlot = kSpanLength;
constexpr double kConfidence = 0.95;
constexpr int kSeriesParameters = 5;
constexpr int kMaxSeriesPeriods = 100000;
constexpr double kExactDoubleLimit = 9007199254740992.0;  // 2^53

// Microseconds between 1970-01-01 (Unix epoch) and 2000-01-01 (PostgreSQL's epoch).
constexpr int64 kUnixToPostgresEpochUs =
    int64(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC;
// Period bounds are stored between 1900-01-01 and 2100-01-01: there, one rounding each way (|seconds| < 2^32,
// microseconds < 2^52) brings every microsecond back exactly; storable_epoch also checks the round trip.
constexpr double kMinStorableEpoch = -2208988800.0, kMaxStorableEpoch = 4102444800.0;

double epoch_seconds(TimestampTz t) {
  int64 unix_us;
  if (TIMESTAMP_NOT_FINITE(t) || pg_add_s64_overflow(t, kUnixToPostgresEpochUs, &unix_us))
    return t < 0 ? -HUGE_VAL : HUGE_VAL;
  return double(unix_us) / USECS_PER_SEC;
}

// The inverse of epoch_seconds for storable values.
TimestampTz timestamp_of_epoch(double seconds) {
  return static_cast<TimestampTz>(std::llround(seconds * USECS_PER_SEC)) - kUnixToPostgresEpochUs;
}

// Whether an epoch-seconds value lies in the stored range and converts back to exactly one timestamp.
bool storable_epoch(double seconds) {
  return seconds >= kMinStorableEpoch && seconds < kMaxStorableEpoch &&
         epoch_seconds(timestamp_of_epoch(seconds)) == seconds;
}

const char* timestamp_text(TimestampTz t) {
  return pstrdup(timestamptz_to_str(t));
}

const char* interval_text(const Interval* interval) {
  return DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(interval)));
}

void invalid(const char* message) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", message)));
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

void check_period(TimestampTz start, TimestampTz end) {
  if (end <= start)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("period_end (%s) must be after period_start (%s)", timestamp_text(end),
                           timestamp_text(start))));
  if (!storable_epoch(epoch_seconds(start)) || !storable_epoch(epoch_seconds(end)))
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("period bounds must be finite timestamps between the years 1900 and 2100, got %s and %s",
                    timestamp_text(start), timestamp_text(end))));
}

// The row's period must be the state's (the first row sets it).
void set_or_check_period(double* values, TimestampTz start, TimestampTz end) {
  const double s = epoch_seconds(start), e = epoch_seconds(end);
  if (values[kPeriodStartSlot] == s && values[kPeriodEndSlot] == e) return;  // the usual case, one compare
  check_period(start, end);
  if (std::isnan(values[kPeriodStartSlot]) && std::isnan(values[kPeriodEndSlot])) {
    values[kPeriodStartSlot] = s;
    values[kPeriodEndSlot] = e;
    return;
  }
  ereport(ERROR,
          (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
           errmsg("period_start and period_end must be the same for every row of a group (%s to %s, then "
                  "%s to %s)",
                  timestamp_text(timestamp_of_epoch(values[kPeriodStartSlot])),
                  timestamp_text(timestamp_of_epoch(values[kPeriodEndSlot])), timestamp_text(start),
                  timestamp_text(end))));
}

void check_inactivity(const Interval* inactivity) {
  if (inactivity->month < 0 || inactivity->day < 0 || inactivity->time < 0 ||
      (inactivity->month == 0 && inactivity->day == 0 && inactivity->time == 0))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("inactivity interval must be positive, got %s", interval_text(inactivity))));
  if (std::fabs(double(inactivity->time)) >= kExactDoubleLimit)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("inactivity interval %s is too long", interval_text(inactivity))));
}

void set_or_check_inactivity(double* values, const Interval* inactivity) {
  double* slot = values + kInactivitySlot;
  if (slot[0] == inactivity->month && slot[1] == inactivity->day && slot[2] == double(inactivity->time))
    return;
  check_inactivity(inactivity);
  if (std::isnan(slot[0]) && std::isnan(slot[1]) && std::isnan(slot[2])) {
    slot[0] = inactivity->month;
    slot[1] = inactivity->day;
    slot[2] = double(inactivity->time);
    return;
  }
  invalid("the inactivity interval must be the same for every row of a group");
}

void check_span(TimestampTz from, TimestampTz until, const char* from_name, const char* until_name) {
  if (until < from)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s (%s) is before %s (%s)", until_name, timestamp_text(until), from_name,
                           timestamp_text(from))));
}

// ---------------------------------------------------------------------------------------------------------------
// Single-period states
// ---------------------------------------------------------------------------------------------------------------

bool valid_period_parameters(const double* values) {
  const double s = values[kPeriodStartSlot], e = values[kPeriodEndSlot];
  if (std::isnan(s) && std::isnan(e)) return true;
  return storable_epoch(s) && storable_epoch(e) && timestamp_of_epoch(e) > timestamp_of_epoch(s);
}

bool valid_inactivity_parameters(const double* values) {
  const double* slot = values + kInactivitySlot;
  if (std::isnan(slot[0]) && std::isnan(slot[1]) && std::isnan(slot[2])) return true;
  for (int i = 0; i < 3; ++i)
    if (!std::isfinite(slot[i]) || slot[i] < 0 || slot[i] != std::floor(slot[i])) return false;
  return slot[0] <= PG_INT32_MAX && slot[1] <= PG_INT32_MAX && slot[2] < kExactDoubleLimit &&
         slot[0] + slot[1] + slot[2] > 0;
}

// A retention state argument of either layout (or of exactly `length` elements when length > 0), fully
// validated: it may come from a user or another server. *length_out receives its length.
double* retention_state_arg(FunctionCallInfo fcinfo, int argno, int length, int* length_out,
                            ArrayType** array_out) {
  ArrayType* array =
      AggCheckCallContext(fcinfo, nullptr) ? PG_GETARG_ARRAYTYPE_P(argno) : PG_GETARG_ARRAYTYPE_P_COPY(argno);
  const int n = ARR_NDIM(array) == 1 ? ARR_DIMS(array)[0] : 0;
  if (ARR_NDIM(array) != 1 || ARR_HASNULL(array) || ARR_ELEMTYPE(array) != FLOAT8OID ||
      (length > 0 ? n != length : (n != kSpanLength && n != kInactivityLength)))
    invalid("invalid retention state: expected a float8 array of 6 or 9 elements without NULLs");
  double* values = reinterpret_cast<double*>(ARR_DATA_PTR(array));
  if (!loyalty::counter_state_is_valid(values, kCounters))
    invalid("invalid retention state: counters must be non-negative whole numbers");
  if (!valid_period_parameters(values) || (n == kInactivityLength && !valid_inactivity_parameters(values)))
    invalid("invalid retention state: bad period bounds or inactivity interval");
  if (length_out) *length_out = n;
  if (array_out) *array_out = array;
  return values;
}

// The counts of a state whose counters agree with one another: E - N = S - C, N <= E, C <= S.
RetentionCounts consistent_counts(const double* values) {
  const RetentionCounts c = loyalty::retention_counts_of(values);
  if (c.at_end - c.new_customers != c.at_start - c.churned || c.new_customers > c.at_end ||
      c.churned > c.at_start)
    invalid(
        "invalid retention state: the counts do not agree (at_end - new_customers must equal at_start - "
        "churned)");
  return c;
}

// Adds (sign = +1) or removes (-1) one activity span [from, until) (NULL until: still active).
Datum span_step(FunctionCallInfo fcinfo, double sign) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  ArrayType* array;
  double* values;
  if (AggCheckCallContext(fcinfo, nullptr))
    values = loyalty::pg::counter_array_transition_arg(fcinfo, kSpanLength, kCounters, "retention", &array);
  else
    values = retention_state_arg(fcinfo, 0, kSpanLength, nullptr, &array);
  if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(4)) PG_RETURN_POINTER(array);  // row ignored
  loyalty::ActivitySpan span;
  span.from = PG_GETARG_TIMESTAMPTZ(1);
  span.until = PG_ARGISNULL(2) ? loyalty::kOpenSpanEnd : PG_GETARG_TIMESTAMPTZ(2);
  const TimestampTz start = PG_GETARG_TIMESTAMPTZ(3), end = PG_GETARG_TIMESTAMPTZ(4);
  if (sign > 0) {
    set_or_check_period(values, start, end);
    check_span(span.from, span.until, "active_from", "active_until");
  }
  loyalty::retention_count_span(values, span, start, end, sign);
  PG_RETURN_POINTER(array);
}

// Adds or removes one customer seen from first_order to last_order, active until last_order + inactivity.
Datum inactivity_step(FunctionCallInfo fcinfo, double sign) {
  ArrayType* array;
  double* values;
  if (AggCheckCallContext(fcinfo, nullptr))
    values =
        loyalty::pg::counter_array_transition_arg(fcinfo, kInactivityLength, kCounters, "retention", &array);
  else
    values = retention_state_arg(fcinfo, 0, kInactivityLength, nullptr, &array);
  const TimestampTz first_order = PG_GETARG_TIMESTAMPTZ(1), last_order = PG_GETARG_TIMESTAMPTZ(2);
  const Interval* inactivity = PG_GETARG_INTERVAL_P(3);
  const TimestampTz start = PG_GETARG_TIMESTAMPTZ(4), end = PG_GETARG_TIMESTAMPTZ(5);
  if (sign > 0) {
    set_or_check_period(values, start, end);
    set_or_check_inactivity(values, inactivity);
    check_span(first_order, last_order, "first_order", "last_order");
  }
  loyalty::ActivitySpan span;
  span.from = first_order;
  if (inactivity->month == 0 && inactivity->day == 0 && !TIMESTAMP_NOT_FINITE(last_order)) {
    if (pg_add_s64_overflow(last_order, inactivity->time, &span.until) || !IS_VALID_TIMESTAMP(span.until))
      ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
  } else {
    span.until = DatumGetTimestampTz(DirectFunctionCall2(
        timestamptz_pl_interval, TimestampTzGetDatum(last_order), IntervalPGetDatum(inactivity)));
  }
  loyalty::retention_count_span(values, span, start, end, sign);
  PG_RETURN_POINTER(array);
}

// The retention_stats composite of one period; `summary` NULL when nobody was there at the start.
HeapTuple stats_tuple(TupleDesc tupdesc, TimestampTz start, TimestampTz end, const RetentionCounts& c,
                      const RetentionSummary* summary) {
  Datum fields[10] = {TimestampTzGetDatum(start),
                      TimestampTzGetDatum(end),
                      Int64GetDatum(static_cast<int64>(c.at_start)),
                      Int64GetDatum(static_cast<int64>(c.at_end)),
                      Int64GetDatum(static_cast<int64>(c.new_customers)),
                      Int64GetDatum(static_cast<int64>(c.churned)),
                      Float8GetDatum(summary ? summary->retention_rate : 0),
                      Float8GetDatum(summary ? summary->churn_rate : 0),
                      Float8GetDatum(summary ? summary->churn_ci_low : 0),
                      Float8GetDatum(summary ? summary->churn_ci_high : 0)};
  bool nulls[10] = {false, false, false, false, false, false, !summary, !summary, !summary, !summary};
  if (tupdesc->natts != 10)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("retention_stats must have 10 fields")));
  return heap_form_tuple(tupdesc, fields, nulls);
}

// Summaries of `count` periods into `out` (`has` false where at_start = 0), in C++.
void summarize_periods(const RetentionCounts* counts, int count, RetentionSummary* out, bool* has) {
  loyalty::pg::cpp_boundary([&] {
    for (int k = 0; k < count; ++k) {
      has[k] = counts[k].at_start > 0;
      if (has[k]) out[k] = loyalty::summarize_retention(counts[k], kConfidence);
    }
    return Datum(0);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Series
// ---------------------------------------------------------------------------------------------------------------

// The boundaries first + k * length, k = 0..periods, of one group, kept in fn_extra between rows.
struct SeriesBoundaries {
  TimestampTz first;
  int32 month, day;
  int64 time;
  int32 periods;
  int64* boundaries;
};

void compute_boundaries(TimestampTz first, const Interval* length, int periods, int64* b) {
  if (TIMESTAMP_NOT_FINITE(first) || !storable_epoch(epoch_seconds(first)))
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("first_period_start must be a finite timestamp between the years 1900 and 2100, got %s",
                    timestamp_text(first))));
  if (std::fabs(double(length->time)) >= kExactDoubleLimit)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("period_length %s is too long", interval_text(length))));
  b[0] = first;
  for (int k = 1; k <= periods; ++k) {
    // first + k * length, not k additions of length: month ends stay anchored (Jan 31, Feb 28, Mar 31).
    const Datum step = DirectFunctionCall2(interval_mul, IntervalPGetDatum(length), Float8GetDatum(k));
    b[k] =
        DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval, TimestampTzGetDatum(first), step));
    if (b[k] <= b[k - 1] || TIMESTAMP_NOT_FINITE(b[k]))
      ereport(ERROR,
              (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
               errmsg("period_length must be positive: period %d of the series would run from %s to %s", k,
                      timestamp_text(b[k - 1]), timestamp_text(b[k]))));
  }
}

void check_periods(int64 periods) {
  if (periods < 1)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("periods must be at least 1, got %lld", static_cast<long long>(periods))));
  if (periods > kMaxSeriesPeriods)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("retention_series supports at most %d periods, got %lld", kMaxSeriesPeriods,
                           static_cast<long long>(periods))));
}

const int64* series_boundaries(FunctionCallInfo fcinfo, TimestampTz first, const Interval* length,
                               int32 periods) {
  auto* cache = static_cast<SeriesBoundaries*>(fcinfo->flinfo->fn_extra);
  if (cache && cache->boundaries && cache->first == first && cache->periods == periods &&
      cache->month == length->month && cache->day == length->day && cache->time == length->time)
    return cache->boundaries;
  check_periods(periods);
  if (!cache) {
    cache = static_cast<SeriesBoundaries*>(MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *cache));
    fcinfo->flinfo->fn_extra = cache;
  }
  if (cache->boundaries) pfree(cache->boundaries);
  cache->boundaries = nullptr;  // until the new ones are complete (compute_boundaries may fail)
  int64* b = static_cast<int64*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int64) * (periods + 1)));
  compute_boundaries(first, length, periods, b);
  cache->first = first;
  cache->month = length->month;
  cache->day = length->day;
  cache->time = length->time;
  cache->periods = periods;
  cache->boundaries = b;
  return b;
}

int series_length(int periods) {
  return loyalty::retention_series_counters(periods) + kSeriesParameters;
}

// A series state argument, fully validated (counters, parameters, length agreeing with the period count).
double* series_state_arg(FunctionCallInfo fcinfo, int argno, int* periods_out, ArrayType** array_out) {
  ArrayType* array =
      AggCheckCallContext(fcinfo, nullptr) ? PG_GETARG_ARRAYTYPE_P(argno) : PG_GETARG_ARRAYTYPE_P_COPY(argno);
  const int n = ARR_NDIM(array) == 1 ? ARR_DIMS(array)[0] : 0;
  if (ARR_NDIM(array) != 1 || ARR_HASNULL(array) || ARR_ELEMTYPE(array) != FLOAT8OID || n < series_length(1))
    invalid("invalid retention_series state: expected a float8 array of at least 9 elements without NULLs");
  double* v = reinterpret_cast<double*>(ARR_DATA_PTR(array));
  const double* p = v + n - kSeriesParameters;
  const double periods = p[4];
  if (!(periods >= 1 && periods <= kMaxSeriesPeriods && periods == std::floor(periods)) ||
      n != series_length(static_cast<int>(periods)))
    invalid("invalid retention_series state: its length does not match its number of periods");
  if (!loyalty::counter_state_is_valid(v, n - kSeriesParameters))
    invalid("invalid retention_series state: counters must be non-negative whole numbers");
  if (!storable_epoch(p[0]) || !(std::fabs(p[1]) <= PG_INT32_MAX && p[1] == std::floor(p[1])) ||
      !(std::fabs(p[2]) <= PG_INT32_MAX && p[2] == std::floor(p[2])) ||
      !(std::fabs(p[3]) < kExactDoubleLimit && p[3] == std::floor(p[3])))
    invalid("invalid retention_series state: bad first_period_start or period_length");
  *periods_out = static_cast<int>(periods);
  if (array_out) *array_out = array;
  return v;
}

// The period_length a series state stores.
Interval stored_length(const double* parameters) {
  Interval length;
  length.month = static_cast<int32>(parameters[1]);
  length.day = static_cast<int32>(parameters[2]);
  length.time = static_cast<int64>(parameters[3]);
  return length;
}

void series_parameters_differ(const double* parameters, int periods, TimestampTz other_first,
                              const Interval* other_length, int other_periods) {
  const Interval length = stored_length(parameters);
  ereport(ERROR,
          (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
           errmsg("first_period_start, period_length and periods must be the same for every row of a group "
                  "(%s, %s, %d, then %s, %s, %d)",
                  timestamp_text(timestamp_of_epoch(parameters[0])), interval_text(&length), periods,
                  timestamp_text(other_first), interval_text(other_length), other_periods)));
}

// Adds (sign = +1) or removes (-1) one activity span to the series state.
Datum series_step(FunctionCallInfo fcinfo, double sign) {
  const bool in_aggregate = AggCheckCallContext(fcinfo, nullptr);
  if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_ARGISNULL(5)) {  // row ignored
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    PG_RETURN_DATUM(PG_GETARG_DATUM(0));
  }
  const TimestampTz first = PG_GETARG_TIMESTAMPTZ(3);
  const Interval* length = PG_GETARG_INTERVAL_P(4);
  const int32 periods = PG_GETARG_INT32(5);
  const int64* b = series_boundaries(fcinfo, first, length, periods);
  const int n = series_length(periods);

  ArrayType* array;
  double* v;
  if (PG_ARGISNULL(0)) {
    if (sign < 0) PG_RETURN_NULL();  // nothing to remove from: PostgreSQL recomputes the frame
    MemoryContext context;
    if (!AggCheckCallContext(fcinfo, &context)) context = CurrentMemoryContext;
    array = loyalty::pg::counter_array_zeroed(context, n);
    v = reinterpret_cast<double*>(ARR_DATA_PTR(array));
    double* p = v + n - kSeriesParameters;
    p[0] = epoch_seconds(first);
    p[1] = length->month;
    p[2] = length->day;
    p[3] = double(length->time);
    p[4] = periods;
  } else {
    int state_periods;
    if (in_aggregate) {
      array = PG_GETARG_ARRAYTYPE_P(0);
      const int state_n = ARR_NDIM(array) == 1 ? ARR_DIMS(array)[0] : 0;
      if (ARR_NDIM(array) != 1 || ARR_HASNULL(array) || ARR_ELEMTYPE(array) != FLOAT8OID ||
          state_n < series_length(1))
        invalid(
            "invalid retention_series state: expected a float8 array of at least 9 elements without NULLs");
      v = reinterpret_cast<double*>(ARR_DATA_PTR(array));
      state_periods = static_cast<int>(v[state_n - 1]);
      if (state_n != series_length(state_periods))
        invalid("invalid retention_series state: its length does not match its number of periods");
    } else {
      v = series_state_arg(fcinfo, 0, &state_periods, &array);
    }
    const double* p = v + series_length(state_periods) - kSeriesParameters;
    if (state_periods != periods || p[0] != epoch_seconds(first) || p[1] != length->month ||
        p[2] != length->day || p[3] != double(length->time))
      series_parameters_differ(p, state_periods, first, length, periods);
  }
  loyalty::ActivitySpan span;
  span.from = PG_GETARG_TIMESTAMPTZ(1);
  span.until = PG_ARGISNULL(2) ? loyalty::kOpenSpanEnd : PG_GETARG_TIMESTAMPTZ(2);
  if (sign > 0) check_span(span.from, span.until, "active_from", "active_until");
  loyalty::retention_series_count_span(v, b, periods, span, sign);
  PG_RETURN_POINTER(array);
}

}  // namespace

extern "C" {

// ---- single period ----

PG_FUNCTION_INFO_V1(loyalty_retention_accum);
Datum loyalty_retention_accum(PG_FUNCTION_ARGS) {
  return span_step(fcinfo, +1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_retract);
Datum loyalty_retention_retract(PG_FUNCTION_ARGS) {
  return span_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_inactivity_accum);
Datum loyalty_retention_inactivity_accum(PG_FUNCTION_ARGS) {
  return inactivity_step(fcinfo, +1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_inactivity_retract);
Datum loyalty_retention_inactivity_retract(PG_FUNCTION_ARGS) {
  return inactivity_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_combine);
Datum loyalty_retention_combine(PG_FUNCTION_ARGS) {
  int length_a, length_b;
  ArrayType* into;
  double* a = retention_state_arg(fcinfo, 0, 0, &length_a, &into);
  const double* b = retention_state_arg(fcinfo, 1, 0, &length_b, nullptr);
  if (length_a != length_b) invalid("cannot combine retention states of different kinds");
  if (!std::isnan(a[kPeriodStartSlot]) && !std::isnan(b[kPeriodStartSlot]))
    set_or_check_period(a, timestamp_of_epoch(b[kPeriodStartSlot]), timestamp_of_epoch(b[kPeriodEndSlot]));
  return loyalty::pg::cpp_boundary([&] {
    loyalty::counter_state_combine(a, b, kCounters, length_a - kCounters,
                                   "the inactivity interval (as months, days, microseconds)");
    return PointerGetDatum(into);
  });
}

PG_FUNCTION_INFO_V1(loyalty_retention_rate_final);
Datum loyalty_retention_rate_final(PG_FUNCTION_ARGS) {
  const double* values = retention_state_arg(fcinfo, 0, 0, nullptr, nullptr);
  const RetentionCounts c = consistent_counts(values);
  if (c.at_start == 0) PG_RETURN_NULL();
  PG_RETURN_FLOAT8((c.at_end - c.new_customers) / c.at_start);
}

PG_FUNCTION_INFO_V1(loyalty_churn_rate_final);
Datum loyalty_churn_rate_final(PG_FUNCTION_ARGS) {
  const double* values = retention_state_arg(fcinfo, 0, 0, nullptr, nullptr);
  const RetentionCounts c = consistent_counts(values);
  if (c.at_start == 0) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(c.churned / c.at_start);
}

PG_FUNCTION_INFO_V1(loyalty_retention_stats_final);
Datum loyalty_retention_stats_final(PG_FUNCTION_ARGS) {
  const double* values = retention_state_arg(fcinfo, 0, 0, nullptr, nullptr);
  const RetentionCounts c = consistent_counts(values);
  if (std::isnan(values[kPeriodStartSlot])) PG_RETURN_NULL();  // no rows
  TupleDesc tupdesc;
  if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
    ereport(ERROR,
            (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("retention_stats must return a composite")));
  tupdesc = BlessTupleDesc(tupdesc);
  RetentionSummary summary;
  bool has;
  summarize_periods(&c, 1, &summary, &has);
  PG_RETURN_DATUM(HeapTupleGetDatum(stats_tuple(tupdesc, timestamp_of_epoch(values[kPeriodStartSlot]),
                                                timestamp_of_epoch(values[kPeriodEndSlot]), c,
                                                has ? &summary : nullptr)));
}

// ---- series ----

PG_FUNCTION_INFO_V1(loyalty_retention_series_accum);
Datum loyalty_retention_series_accum(PG_FUNCTION_ARGS) {
  return series_step(fcinfo, +1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_series_retract);
Datum loyalty_retention_series_retract(PG_FUNCTION_ARGS) {
  return series_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_series_combine);
Datum loyalty_retention_series_combine(PG_FUNCTION_ARGS) {
  int periods_a, periods_b;
  ArrayType* into;
  double* a = series_state_arg(fcinfo, 0, &periods_a, &into);
  const double* b = series_state_arg(fcinfo, 1, &periods_b, nullptr);
  const int counters = loyalty::retention_series_counters(periods_a);
  const double* pa = a + counters;
  const double* pb = b + loyalty::retention_series_counters(periods_b);
  if (periods_a != periods_b || pa[0] != pb[0] || pa[1] != pb[1] || pa[2] != pb[2] || pa[3] != pb[3]) {
    const Interval length_b = stored_length(pb);
    series_parameters_differ(pa, periods_a, timestamp_of_epoch(pb[0]), &length_b, periods_b);
  }
  return loyalty::pg::cpp_boundary([&] {
    loyalty::counter_state_combine(a, b, counters, kSeriesParameters, "retention_series parameters");
    return PointerGetDatum(into);
  });
}

PG_FUNCTION_INFO_V1(loyalty_retention_series_final);
Datum loyalty_retention_series_final(PG_FUNCTION_ARGS) {
  int periods;
  const double* v = series_state_arg(fcinfo, 0, &periods, nullptr);
  const double* p = v + series_length(periods) - kSeriesParameters;
  const Interval length = stored_length(p);
  int64* b = static_cast<int64*>(palloc(sizeof(int64) * (periods + 1)));
  compute_boundaries(timestamp_of_epoch(p[0]), &length, periods, b);

  auto* counts = static_cast<RetentionCounts*>(palloc(sizeof(RetentionCounts) * periods));
  auto* summaries = static_cast<RetentionSummary*>(palloc(sizeof(RetentionSummary) * periods));
  bool* has = static_cast<bool*>(palloc(sizeof(bool) * periods));
  bool consistent = true;
  loyalty::pg::cpp_boundary([&] {
    const std::vector<RetentionCounts> all = loyalty::retention_series_all_periods(v, periods);
    for (int k = 0; k < periods; ++k) {
      counts[k] = all[k];
      consistent &= all[k].at_start >= 0 && all[k].churned <= all[k].at_start && all[k].at_end >= 0;
    }
    return Datum(0);
  });
  if (!consistent) invalid("invalid retention_series state: the run counters do not agree");
  summarize_periods(counts, periods, summaries, has);

  const Oid array_type = get_func_rettype(fcinfo->flinfo->fn_oid);
  const Oid element_type = get_element_type(array_type);
  if (element_type == InvalidOid || !type_is_rowtype(element_type))
    ereport(ERROR,
            (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("retention_series must return a composite array")));
  TupleDesc tupdesc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(element_type, -1));
  Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * periods));
  for (int k = 0; k < periods; ++k)
    elements[k] =
        HeapTupleGetDatum(stats_tuple(tupdesc, b[k], b[k + 1], counts[k], has[k] ? &summaries[k] : nullptr));
  int16 typlen;
  bool typbyval;
  char typalign;
  get_typlenbyvalalign(element_type, &typlen, &typbyval, &typalign);
  PG_RETURN_ARRAYTYPE_P(construct_array(elements, periods, element_type, typlen, typbyval, typalign));
}

}  // extern "C"
