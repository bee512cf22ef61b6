// SQL binding of the period retention aggregates: retention_rate, churn_rate and retention_stats over
// activity spans (contractual) or over first/last orders and an inactivity interval (non-contractual), and
// retention_series, the same figures for consecutive periods in one scan. Definitions:
// src/core/retention.hpp.
//
// States (float8[], see src/core/counter_state.hpp):
//   spans:       [at_start, at_end, new_customers, churned, period_start, period_end]
//   inactivity:  [... the same six ..., inactivity months, days, microseconds]
//   series:      [run_starts 0..P, run_ends 0..P, first_period_start, length months, days, microseconds, P]
//   zoned series (the `zone` overload): [run_starts 0..P, run_ends 0..P, boundaries 1..P, zone key,
//                first_period_start, length months, days, microseconds, P]
// A series' boundaries first + k * length are calendar arithmetic: in the session's TimeZone, or in the zone
// given (zone_day.hpp's zone_add_interval, as timestamptz + interval under SET TimeZone = zone). The session
// form recomputes them in its final function; the zoned form keeps them in its state (a final function has
// no zone argument), with a key of the zone (ZoneDays::zone_key) that every row and partial state must share.
// Instants are stored as Unix epoch seconds (what extract(epoch from ...) gives), checked on entry to convert
// back to the same microsecond. Parameters are constant within a group: a row that disagrees is an error.
//
// Per row, the transition functions make no PostgreSQL call that can raise (the state is the aggregate's own
// flat array; timestamps and intervals are read by value or by pointer), except timestamptz_pl_interval for
// an inactivity interval with months or days (calendar arithmetic in the session's time zone, or in the zone
// given, which raises when the result is out of range): it is guarded on the rows that need it.
#include <cmath>
#include <string>
#include <vector>

#include "counter_state.hpp"
#include "retention.hpp"

#include "boundary.hpp"
#include "float8_state.hpp"
#include "memory.hpp"
#include "result_tuple.hpp"
#include "zone_day.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "common/int.h"
#include "utils/timestamp.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::RetentionCounts;
using loyalty::RetentionSummary;
using loyalty::pg::Float8State;
using loyalty::pg::Float8StateShape;
using loyalty::pg::formatted;
using loyalty::pg::postgres_guard;
using loyalty::pg::SqlStateError;

constexpr int kCounters = loyalty::kRetentionCounters;
constexpr int kSpanLength = kCounters + 2;          // + period_start, period_end
constexpr int kInactivityLength = kSpanLength + 3;  // + inactivity months, days, microseconds
constexpr int kPeriodStartSlot = kCounters, kPeriodEndSlot = kCounters + 1;
constexpr int kInactivitySlot = kSpanLength;
constexpr double kConfidence = 0.95;
constexpr int kSeriesParameters = 5;
constexpr int kMaxSeriesPeriods = 100000;
constexpr double kExactDoubleLimit = 9007199254740992.0;  // 2^53
constexpr int kStatsFields = 10;

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

// For error messages: timestamptz_to_str writes a static buffer, copied at once.
std::string timestamp_text(TimestampTz t) {
  return postgres_guard([&] { return timestamptz_to_str(t); });
}

std::string interval_text(const Interval* interval) {
  return postgres_guard(
      [&] { return DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(interval))); });
}

[[noreturn]] void invalid(const std::string& message) {
  throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE, message);
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

void check_period(TimestampTz start, TimestampTz end) {
  if (end <= start)
    invalid(formatted("period_end (%s) must be after period_start (%s)", timestamp_text(end).c_str(),
                      timestamp_text(start).c_str()));
  if (!storable_epoch(epoch_seconds(start)) || !storable_epoch(epoch_seconds(end)))
    invalid(
        formatted("period bounds must be finite timestamps between the years 1900 and 2100, got %s and %s",
                  timestamp_text(start).c_str(), timestamp_text(end).c_str()));
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
  invalid(formatted(
      "period_start and period_end must be the same for every row of a group (%s to %s, then %s to %s)",
      timestamp_text(timestamp_of_epoch(values[kPeriodStartSlot])).c_str(),
      timestamp_text(timestamp_of_epoch(values[kPeriodEndSlot])).c_str(), timestamp_text(start).c_str(),
      timestamp_text(end).c_str()));
}

void check_inactivity(const Interval* inactivity) {
  if (inactivity->month < 0 || inactivity->day < 0 || inactivity->time < 0 ||
      (inactivity->month == 0 && inactivity->day == 0 && inactivity->time == 0))
    invalid(formatted("inactivity interval must be positive, got %s", interval_text(inactivity).c_str()));
  if (std::fabs(double(inactivity->time)) >= kExactDoubleLimit)
    throw SqlStateError(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                        formatted("inactivity interval %s is too long", interval_text(inactivity).c_str()));
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
    invalid(formatted("%s (%s) is before %s (%s)", until_name, timestamp_text(until).c_str(), from_name,
                      timestamp_text(from).c_str()));
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

// Either layout (or exactly `length` elements when length > 0); the message names both layouts.
constexpr Float8StateShape retention_shape(int length) {
  return length > 0 ? Float8StateShape{"retention", length, length, 1, "6 or 9 elements", false}
                    : Float8StateShape{"retention",       kSpanLength,
                                       kInactivityLength, kInactivityLength - kSpanLength,
                                       "6 or 9 elements", false};
}

// A retention state argument of either layout (or of exactly `length` elements when length > 0), fully
// validated: it may come from a user or another server.
Float8State retention_state_arg(FunctionCallInfo fcinfo, int argno, int length, bool writable) {
  const Float8State state =
      loyalty::pg::float8_state_counter_arg(fcinfo, argno, retention_shape(length), kCounters, writable);
  if (!valid_period_parameters(state.values) ||
      (state.length == kInactivityLength && !valid_inactivity_parameters(state.values)))
    loyalty::pg::invalid_float8_state("retention", "bad period bounds or inactivity interval");
  return state;
}

// State argument 0 of a transition function: inside an aggregate its own state (shape only, no PostgreSQL
// call); called directly, a validated copy.
Float8State transition_state(FunctionCallInfo fcinfo, int length) {
  if (!AggCheckCallContext(fcinfo, nullptr)) return retention_state_arg(fcinfo, 0, length, true);
  Float8State state;
  state.array = loyalty::pg::array_argument(fcinfo, 0);
  state.values = loyalty::pg::float8_state_values(
      state.array, loyalty::pg::float8_state_of_length("retention", length), &state.length);
  return state;
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
  const Float8State state = transition_state(fcinfo, kSpanLength);
  if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(4)) return PointerGetDatum(state.array);  // ignored
  loyalty::ActivitySpan span;
  span.from = PG_GETARG_TIMESTAMPTZ(1);
  span.until = PG_ARGISNULL(2) ? loyalty::kOpenSpanEnd : PG_GETARG_TIMESTAMPTZ(2);
  const TimestampTz start = PG_GETARG_TIMESTAMPTZ(3), end = PG_GETARG_TIMESTAMPTZ(4);
  if (sign > 0) {
    set_or_check_period(state.values, start, end);
    check_span(span.from, span.until, "active_from", "active_until");
  }
  loyalty::retention_count_span(state.values, span, start, end, sign);
  return PointerGetDatum(state.array);
}

// Adds or removes one customer seen from first_order to last_order, active until last_order + inactivity;
// `zoned`: the `zone` overload (argument 6), whose months and days of inactivity are counted in that zone.
Datum inactivity_step(FunctionCallInfo fcinfo, double sign, bool zoned) {
  const Float8State state = transition_state(fcinfo, kInactivityLength);
  const TimestampTz first_order = PG_GETARG_TIMESTAMPTZ(1), last_order = PG_GETARG_TIMESTAMPTZ(2);
  const Interval* inactivity = PG_GETARG_INTERVAL_P(3);  // fixed-length by reference: never toasted
  const TimestampTz start = PG_GETARG_TIMESTAMPTZ(4), end = PG_GETARG_TIMESTAMPTZ(5);
  if (sign > 0) {
    set_or_check_period(state.values, start, end);
    set_or_check_inactivity(state.values, inactivity);
    check_span(first_order, last_order, "first_order", "last_order");
  }
  loyalty::ActivitySpan span;
  span.from = first_order;
  loyalty::pg::ZoneDays* zone = zoned ? loyalty::pg::zone_days(fcinfo, 6, "retention") : nullptr;
  if (inactivity->month == 0 && inactivity->day == 0 && !TIMESTAMP_NOT_FINITE(last_order)) {
    if (pg_add_s64_overflow(last_order, inactivity->time, &span.until) || !IS_VALID_TIMESTAMP(span.until))
      throw SqlStateError(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range");
  } else if (zone != nullptr) {
    span.until = loyalty::pg::zone_add_interval(zone, last_order, inactivity);
  } else {
    span.until = postgres_guard([&] {
      return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval, TimestampTzGetDatum(last_order),
                                                     IntervalPGetDatum(inactivity)));
    });
  }
  loyalty::retention_count_span(state.values, span, start, end, sign);
  return PointerGetDatum(state.array);
}

// The retention_stats composite of one period; `summary` NULL when nobody was there at the start.
Datum stats_tuple(TupleDesc tupdesc, TimestampTz start, TimestampTz end, const RetentionCounts& c,
                  const RetentionSummary* summary) {
  const Datum fields[kStatsFields] = {TimestampTzGetDatum(start),
                                      TimestampTzGetDatum(end),
                                      Int64GetDatum(static_cast<int64>(c.at_start)),
                                      Int64GetDatum(static_cast<int64>(c.at_end)),
                                      Int64GetDatum(static_cast<int64>(c.new_customers)),
                                      Int64GetDatum(static_cast<int64>(c.churned)),
                                      Float8GetDatum(summary ? summary->retention_rate : 0),
                                      Float8GetDatum(summary ? summary->churn_rate : 0),
                                      Float8GetDatum(summary ? summary->churn_ci_low : 0),
                                      Float8GetDatum(summary ? summary->churn_ci_high : 0)};
  const bool nulls[kStatsFields] = {false, false,    false,    false,    false,
                                    false, !summary, !summary, !summary, !summary};
  return loyalty::pg::form_result_tuple(tupdesc, fields, nulls);
}

void check_stats_fields(TupleDesc tupdesc) {
  if (tupdesc->natts != kStatsFields)
    throw SqlStateError(ERRCODE_DATATYPE_MISMATCH, "retention_stats must have 10 fields");
}

// ---------------------------------------------------------------------------------------------------------------
// Series
// ---------------------------------------------------------------------------------------------------------------

// The boundaries first + k * length, k = 0..periods, of one group, kept in fn_extra between rows, and the
// zone of the zoned form.
struct SeriesBoundaries {
  TimestampTz first;
  int32 month, day;
  int64 time;
  int32 periods;
  uint32 zone_key;  // of the boundaries kept (0: the session zone)
  int64* boundaries;
  loyalty::pg::ZoneDays zone;
};

// `zone` nullptr: the session's TimeZone (timestamptz + interval itself).
void compute_boundaries(TimestampTz first, const Interval* length, int periods, int64* b,
                        loyalty::pg::ZoneDays* zone) {
  if (TIMESTAMP_NOT_FINITE(first) || !storable_epoch(epoch_seconds(first)))
    invalid(formatted("first_period_start must be a finite timestamp between the years 1900 and 2100, got %s",
                      timestamp_text(first).c_str()));
  if (std::fabs(double(length->time)) >= kExactDoubleLimit)
    throw SqlStateError(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                        formatted("period_length %s is too long", interval_text(length).c_str()));
  b[0] = first;
  for (int k = 1; k <= periods; ++k) {
    // first + k * length, not k additions of length: month ends stay anchored (Jan 31, Feb 28, Mar 31).
    if (zone == nullptr) {
      b[k] = postgres_guard([&] {
        const Datum step = DirectFunctionCall2(interval_mul, IntervalPGetDatum(length), Float8GetDatum(k));
        return DatumGetTimestampTz(
            DirectFunctionCall2(timestamptz_pl_interval, TimestampTzGetDatum(first), step));
      });
    } else {
      const Interval step = postgres_guard([&] {
        return *DatumGetIntervalP(
            DirectFunctionCall2(interval_mul, IntervalPGetDatum(length), Float8GetDatum(k)));
      });
      b[k] = loyalty::pg::zone_add_interval(zone, first, &step);
    }
    if (b[k] <= b[k - 1] || TIMESTAMP_NOT_FINITE(b[k]))
      invalid(formatted("period_length must be positive: period %d of the series would run from %s to %s", k,
                        timestamp_text(b[k - 1]).c_str(), timestamp_text(b[k]).c_str()));
    if (k % 10000 == 0) loyalty::pg::check_for_interrupts();
  }
}

void check_periods(int64 periods) {
  if (periods < 1)
    invalid(formatted("periods must be at least 1, got %lld", static_cast<long long>(periods)));
  if (periods > kMaxSeriesPeriods)
    throw SqlStateError(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                        formatted("retention_series supports at most %d periods, got %lld", kMaxSeriesPeriods,
                                  static_cast<long long>(periods)));
}

// The boundaries of the row's parameters; `zone` (text) nullptr: the session's TimeZone. *zone_key: the
// zone's key (0 for the session zone).
const int64* series_boundaries(FunctionCallInfo fcinfo, TimestampTz first, const Interval* length,
                               int32 periods, const varlena* zone, uint32* zone_key) {
  auto* cache = static_cast<SeriesBoundaries*>(fcinfo->flinfo->fn_extra);
  if (!cache) {
    cache = static_cast<SeriesBoundaries*>(
        loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(SeriesBoundaries), false, true));
    loyalty::pg::zone_days_init(&cache->zone);
    fcinfo->flinfo->fn_extra = cache;
  }
  if (zone != nullptr) loyalty::pg::zone_days_set(&cache->zone, zone, "retention_series");
  *zone_key = zone != nullptr ? cache->zone.zone_key : 0;
  if (cache->boundaries && cache->first == first && cache->periods == periods &&
      cache->month == length->month && cache->day == length->day && cache->time == length->time &&
      cache->zone_key == *zone_key)
    return cache->boundaries;
  check_periods(periods);
  if (cache->boundaries) pfree(cache->boundaries);
  cache->boundaries = nullptr;  // until the new ones are complete (compute_boundaries may fail)
  auto* b =
      static_cast<int64*>(loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(int64) * (periods + 1)));
  compute_boundaries(first, length, periods, b, zone != nullptr ? &cache->zone : nullptr);
  cache->first = first;
  cache->zone_key = *zone_key;
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

// The zoned form keeps boundaries 1..P and the zone key between the counters and the parameters.
int zoned_series_length(int periods) {
  return series_length(periods) + periods + 1;
}

const Float8StateShape kSeriesShape{
    "retention_series", series_length(1), PG_INT32_MAX, 1, "at least 9 elements", false};

// The number of periods of a series state of the right shape, which its length (of either form) must agree
// with; *zoned: the state is of the zoned form.
int series_periods(const Float8State& state, bool* zoned) {
  const double periods = state.values[state.length - 1];
  if (!(periods >= 1 && periods <= kMaxSeriesPeriods && periods == std::floor(periods)) ||
      (state.length != series_length(static_cast<int>(periods)) &&
       state.length != zoned_series_length(static_cast<int>(periods))))
    loyalty::pg::invalid_float8_state("retention_series", "its length does not match its number of periods");
  *zoned = state.length == zoned_series_length(static_cast<int>(periods));
  return static_cast<int>(periods);
}

// The zoned form's boundaries b[0..periods] (b[0] is first_period_start) from its state, validated: storable
// and strictly increasing, and a zone key that is a 32-bit whole number.
void stored_boundaries(const double* values, int periods, int64* b) {
  const double* kept = values + loyalty::retention_series_counters(periods);
  const double first = values[zoned_series_length(periods) - kSeriesParameters];
  const double key = kept[periods];
  if (!(key >= 0 && key <= PG_UINT32_MAX && key == std::floor(key)))
    loyalty::pg::invalid_float8_state("retention_series", "bad zone key");
  b[0] = timestamp_of_epoch(first);
  for (int k = 1; k <= periods; ++k) {
    if (!storable_epoch(kept[k - 1]))
      loyalty::pg::invalid_float8_state("retention_series", "bad period boundaries");
    b[k] = timestamp_of_epoch(kept[k - 1]);
    if (b[k] <= b[k - 1]) loyalty::pg::invalid_float8_state("retention_series", "bad period boundaries");
  }
}

// A series state argument, fully validated (counters, parameters, length agreeing with the period count, the
// zoned form's boundaries).
Float8State series_state_arg(FunctionCallInfo fcinfo, int argno, int* periods_out, bool writable) {
  const Float8State state = loyalty::pg::float8_state_arg(fcinfo, argno, kSeriesShape, writable);
  bool zoned;
  const int periods = series_periods(state, &zoned);
  const double* p = state.values + state.length - kSeriesParameters;
  loyalty::pg::float8_state_check_counters(state.values, loyalty::retention_series_counters(periods),
                                           "retention_series");
  if (!storable_epoch(p[0]) || !(std::fabs(p[1]) <= PG_INT32_MAX && p[1] == std::floor(p[1])) ||
      !(std::fabs(p[2]) <= PG_INT32_MAX && p[2] == std::floor(p[2])) ||
      !(std::fabs(p[3]) < kExactDoubleLimit && p[3] == std::floor(p[3])))
    loyalty::pg::invalid_float8_state("retention_series", "bad first_period_start or period_length");
  if (zoned) {
    int64* b = loyalty::pg::allocate_array<int64>(periods + 1);
    stored_boundaries(state.values, periods, b);
    pfree(b);
  }
  *periods_out = periods;
  return state;
}

// The period_length a series state stores.
Interval stored_length(const double* parameters) {
  Interval length;
  length.month = static_cast<int32>(parameters[1]);
  length.day = static_cast<int32>(parameters[2]);
  length.time = static_cast<int64>(parameters[3]);
  return length;
}

[[noreturn]] void series_parameters_differ(const double* parameters, int periods, TimestampTz other_first,
                                           const Interval* other_length, int other_periods) {
  const Interval length = stored_length(parameters);
  invalid(formatted(
      "first_period_start, period_length and periods must be the same for every row of a group (%s, %s, %d, "
      "then %s, %s, %d)",
      timestamp_text(timestamp_of_epoch(parameters[0])).c_str(), interval_text(&length).c_str(), periods,
      timestamp_text(other_first).c_str(), interval_text(other_length).c_str(), other_periods));
}

[[noreturn]] pg_noinline pg_attribute_cold void series_zones_differ() {
  invalid("the time zone must be the same for every row of a group of retention_series");
}

// Adds (sign = +1) or removes (-1) one activity span to the series state; `zoned`: the `zone` overload
// (argument 6).
Datum series_step(FunctionCallInfo fcinfo, double sign, bool zoned) {
  MemoryContext aggregate_context;
  const bool in_aggregate = AggCheckCallContext(fcinfo, &aggregate_context);
  const bool parameters_null =
      PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_ARGISNULL(5) || (zoned && PG_ARGISNULL(6));
  const bool row_ignored = parameters_null || PG_ARGISNULL(1);
  // An ignored row leaves the state as it is; but a first row whose span alone is NULL still makes the
  // (empty) state from its series parameters, since the moving-aggregate transition must not return NULL.
  if (row_ignored && (!PG_ARGISNULL(0) || parameters_null || sign < 0)) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    return PG_GETARG_DATUM(0);
  }
  const TimestampTz first = PG_GETARG_TIMESTAMPTZ(3);
  const Interval* length = PG_GETARG_INTERVAL_P(4);
  const int32 periods = PG_GETARG_INT32(5);
  uint32 zone_key;
  const int64* b = series_boundaries(fcinfo, first, length, periods,
                                     zoned ? loyalty::pg::packed_argument(fcinfo, 6) : nullptr, &zone_key);
  const int n = zoned ? zoned_series_length(periods) : series_length(periods);
  const int counters = loyalty::retention_series_counters(periods);

  Float8State state;
  if (PG_ARGISNULL(0)) {
    if (sign < 0) PG_RETURN_NULL();  // nothing to remove from: PostgreSQL recomputes the frame
    state.array =
        loyalty::pg::float8_state_zeroed(in_aggregate ? aggregate_context : CurrentMemoryContext, n);
    state.values = reinterpret_cast<double*>(ARR_DATA_PTR(state.array));
    state.length = n;
    double* p = state.values + n - kSeriesParameters;
    p[0] = epoch_seconds(first);
    p[1] = length->month;
    p[2] = length->day;
    p[3] = double(length->time);
    p[4] = periods;
    if (zoned) {
      for (int k = 1; k <= periods; ++k) state.values[counters + k - 1] = epoch_seconds(b[k]);
      state.values[counters + periods] = zone_key;
    }
  } else {
    int state_periods;
    if (in_aggregate) {  // the aggregate's own state: its shape only, no PostgreSQL call
      state.array = loyalty::pg::array_argument(fcinfo, 0);
      state.values = loyalty::pg::float8_state_values(state.array, kSeriesShape, &state.length);
      state_periods = static_cast<int>(state.values[state.length - 1]);
      if (state.length != (zoned ? zoned_series_length(state_periods) : series_length(state_periods)))
        loyalty::pg::invalid_float8_state("retention_series",
                                          "its length does not match its number of periods");
    } else {
      state = series_state_arg(fcinfo, 0, &state_periods, true);
      if (state.length != (zoned ? zoned_series_length(state_periods) : series_length(state_periods)))
        invalid(zoned ? "a retention_series state without a time zone given to the zone form"
                      : "a retention_series state of the zone form given to the form without one");
    }
    const double* p = state.values + state.length - kSeriesParameters;
    if (state_periods != periods || p[0] != epoch_seconds(first) || p[1] != length->month ||
        p[2] != length->day || p[3] != double(length->time))
      series_parameters_differ(p, state_periods, first, length, periods);
    if (zoned && state.values[counters + periods] != zone_key) series_zones_differ();
  }
  if (row_ignored) return PointerGetDatum(state.array);
  loyalty::ActivitySpan span;
  span.from = PG_GETARG_TIMESTAMPTZ(1);
  span.until = PG_ARGISNULL(2) ? loyalty::kOpenSpanEnd : PG_GETARG_TIMESTAMPTZ(2);
  if (sign > 0) check_span(span.from, span.until, "active_from", "active_until");
  loyalty::retention_series_count_span(state.values, b, periods, span, sign);
  return PointerGetDatum(state.array);
}

}  // namespace

// ---- single period ----

LOYALTY_SQL_FUNCTION(loyalty_retention_accum) {
  return span_step(fcinfo, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_retract) {
  return span_step(fcinfo, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_inactivity_accum) {
  return inactivity_step(fcinfo, +1, false);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_inactivity_retract) {
  return inactivity_step(fcinfo, -1, false);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_inactivity_zone_accum) {
  return inactivity_step(fcinfo, +1, true);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_inactivity_zone_retract) {
  return inactivity_step(fcinfo, -1, true);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_combine) {
  const Float8State into = retention_state_arg(fcinfo, 0, 0, true);
  const Float8State from = retention_state_arg(fcinfo, 1, 0, false);
  if (into.length != from.length) invalid("cannot combine retention states of different kinds");
  double* a = into.values;
  const double* b = from.values;
  if (!std::isnan(a[kPeriodStartSlot]) && !std::isnan(b[kPeriodStartSlot]))
    set_or_check_period(a, timestamp_of_epoch(b[kPeriodStartSlot]), timestamp_of_epoch(b[kPeriodEndSlot]));
  loyalty::counter_state_combine(a, b, kCounters, into.length - kCounters,
                                 "the inactivity interval (as months, days, microseconds)");
  return PointerGetDatum(into.array);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_rate_final) {
  const RetentionCounts c = consistent_counts(retention_state_arg(fcinfo, 0, 0, false).values);
  if (c.at_start == 0) PG_RETURN_NULL();
  return Float8GetDatum((c.at_end - c.new_customers) / c.at_start);
}

LOYALTY_SQL_FUNCTION(loyalty_churn_rate_final) {
  const RetentionCounts c = consistent_counts(retention_state_arg(fcinfo, 0, 0, false).values);
  if (c.at_start == 0) PG_RETURN_NULL();
  return Float8GetDatum(c.churned / c.at_start);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_stats_final) {
  const double* values = retention_state_arg(fcinfo, 0, 0, false).values;
  const RetentionCounts c = consistent_counts(values);
  if (std::isnan(values[kPeriodStartSlot])) PG_RETURN_NULL();  // no rows
  const loyalty::pg::ResultType& type = loyalty::pg::result_type(
      fcinfo, {-1, ERRCODE_FEATURE_NOT_SUPPORTED, "retention_stats must return a composite", false});
  check_stats_fields(type.desc);
  RetentionSummary summary{};
  const bool has = c.at_start > 0;
  if (has) summary = loyalty::summarize_retention(c, kConfidence);
  return stats_tuple(type.desc, timestamp_of_epoch(values[kPeriodStartSlot]),
                     timestamp_of_epoch(values[kPeriodEndSlot]), c, has ? &summary : nullptr);
}

// ---- series ----

LOYALTY_SQL_FUNCTION(loyalty_retention_series_accum) {
  return series_step(fcinfo, +1, false);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_series_retract) {
  return series_step(fcinfo, -1, false);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_series_zone_accum) {
  return series_step(fcinfo, +1, true);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_series_zone_retract) {
  return series_step(fcinfo, -1, true);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_series_combine) {
  int periods_a, periods_b;
  const Float8State into = series_state_arg(fcinfo, 0, &periods_a, true);
  const Float8State from = series_state_arg(fcinfo, 1, &periods_b, false);
  const int counters = loyalty::retention_series_counters(periods_a);
  const double* pa = into.values + into.length - kSeriesParameters;
  const double* pb = from.values + from.length - kSeriesParameters;
  if (periods_a != periods_b || pa[0] != pb[0] || pa[1] != pb[1] || pa[2] != pb[2] || pa[3] != pb[3]) {
    const Interval length_b = stored_length(pb);
    series_parameters_differ(pa, periods_a, timestamp_of_epoch(pb[0]), &length_b, periods_b);
  }
  if (into.length != from.length) invalid("cannot combine retention_series states with and without a zone");
  // The zoned form's boundaries and zone key are parameters too: they must agree.
  if (into.length == zoned_series_length(periods_a) &&
      into.values[counters + periods_a] != from.values[counters + periods_a])
    series_zones_differ();
  loyalty::counter_state_combine(into.values, from.values, counters, into.length - counters,
                                 "retention_series parameters");
  return PointerGetDatum(into.array);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_series_final) {
  int periods;
  const Float8State state = series_state_arg(fcinfo, 0, &periods, false);
  const double* v = state.values;
  const double* p = v + state.length - kSeriesParameters;
  int64* b = loyalty::pg::allocate_array<int64>(periods + 1);
  if (state.length == zoned_series_length(periods)) {  // the boundaries computed in the zone given
    stored_boundaries(v, periods, b);
  } else {
    const Interval length = stored_length(p);
    compute_boundaries(timestamp_of_epoch(p[0]), &length, periods, b, nullptr);
  }

  const std::vector<RetentionCounts> counts = loyalty::retention_series_all_periods(v, periods);
  for (int k = 0; k < periods; ++k)
    if (!(counts[k].at_start >= 0 && counts[k].churned <= counts[k].at_start && counts[k].at_end >= 0))
      invalid("invalid retention_series state: the run counters do not agree");

  const loyalty::pg::ResultType& type = loyalty::pg::result_type(
      fcinfo, {-1, ERRCODE_DATATYPE_MISMATCH, "retention_series must return a composite array", true});
  check_stats_fields(type.desc);
  Datum* elements = loyalty::pg::allocate_array<Datum>(periods);
  for (int k = 0; k < periods; ++k) {
    const bool has = counts[k].at_start > 0;
    RetentionSummary summary{};
    if (has) summary = loyalty::summarize_retention(counts[k], kConfidence);
    elements[k] = stats_tuple(type.desc, b[k], b[k + 1], counts[k], has ? &summary : nullptr);
    if (k % 10000 == 9999) loyalty::pg::check_for_interrupts();
  }
  return loyalty::pg::form_result_array(type, elements, periods);
}
