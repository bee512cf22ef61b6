// SQL binding of customer_summary(order_ts, amount, as_of [, unit [, time_zone]]), an aggregate used with
// GROUP BY customer, returning customer_summary_result (src/sql/200_customer_summary.sql).
//
// State (internal, in the aggregate's memory context): the as_of timestamp and its calendar day, the unit,
// which time zone, the running totals of src/core/customer_summary.hpp (orders and amounts of calibration
// and holdout, the first calibration day's amount), the first and last order timestamps of calibration, and
// the customer's distinct order days (a normalised prefix and an appended tail). It grows with the
// customer's distinct order days, 4 bytes each. Serialised to bytea for parallel workers; the combine
// function merges the two day sets.
//
// Calendar days: the local date of each timestamp in the session's TimeZone, or in the zone given, exactly as
// (order_ts AT TIME ZONE zone)::date, through the binding's one zone/day helper (zone_day.hpp: a
// per-call-site cache of the zone's UTC offset intervals).
//
// Per row, the transition makes no PostgreSQL call that can raise: the arguments are by value or flat text,
// the zone's offsets come from the cache and the day list grows through memory.hpp. Only a dynamic time zone
// abbreviation's offset is guarded on every row, and a new zone name is resolved under a guard.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "customer_summary.hpp"

#include "arguments.hpp"
#include "boundary.hpp"
#include "internal_state.hpp"
#include "memory.hpp"
#include "result_tuple.hpp"
#include "zone_day.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "utils/timestamp.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::pg::formatted;
using loyalty::pg::postgres_guard;
using loyalty::pg::SqlStateError;

// A group with more distinct order days than this is refused (54000): about 27,000 years of daily orders,
// so only a GROUP BY that forgot the customer column gets near it. Keeps the serialised state far below
// PostgreSQL's 1 GB limit (4 bytes a day).
constexpr int32 kMaxDays = 10000000;
constexpr int kInlineDays = 5;  // with the other fields, a 128-byte state
constexpr int kResultFields = 13;
// ---- the call site's zone and unit ----------------------------------------------------------------------

// Per call site (fn_extra of the transition function): the zone (zone_day.hpp) and the unit of the text
// arguments last seen.
struct CallCache {
  loyalty::pg::ZoneDays zone;
  loyalty::TimeUnit unit;
  char unit_name[16];
  int unit_length;  // -1 before the first unit argument
};

CallCache* call_cache(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<CallCache*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = static_cast<CallCache*>(
        loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(CallCache), false, true));
    loyalty::pg::zone_days_init(&cache->zone);
    cache->unit = loyalty::TimeUnit::day;
    cache->unit_length = -1;
    fcinfo->flinfo->fn_extra = cache;
  }
  return cache;
}

void set_unit(CallCache* cache, const varlena* unit) {
  const int length = VARSIZE_ANY_EXHDR(unit);
  if (length == cache->unit_length && memcmp(VARDATA_ANY(unit), cache->unit_name, length) == 0) return;
  char name[64];
  const int kept = length < 63 ? length : 63;
  memcpy(name, VARDATA_ANY(unit), kept);
  name[kept] = '\0';
  const loyalty::TimeUnit parsed = loyalty::parse_time_unit(name);  // an unknown unit: 22023 naming it
  // Every valid unit name is shorter than the buffer.
  cache->unit = parsed;
  memcpy(cache->unit_name, name, kept + 1);
  cache->unit_length = length;
}

// The calendar day (PostgreSQL date: days since 2000-01-01) of a finite timestamp in the call site's zone.
inline int32 local_day(CallCache* cache, TimestampTz ts) {
  return loyalty::pg::zone_local_day(&cache->zone, ts);
}

// ---- the state --------------------------------------------------------------------------------------

// 128 bytes, one memory chunk per customer: the hash table of a GROUP BY over many customers holds one per
// customer, so its size is most of the aggregate's memory traffic. Five days fit inline.
struct SummaryState {
  TimestampTz as_of;
  TimestampTz first_order;  // of the calibration period; DT_NOEND while it has no order
  TimestampTz last_order;   // DT_NOBEGIN while it has no order
  int32* days;              // inline_days or a chunk of its own
  loyalty::OrderTotals totals;
  int32 as_of_day;
  uint32 zone_key;  // 0: the session's TimeZone
  int32 unit;       // loyalty::TimeUnit
  int32 sorted;     // days[0, sorted) is normalised
  int32 count;
  int32 capacity;
  int32 last_added;  // days[count - 1], kept here so that a new order never has to read the list
  int32 inline_days[kInlineDays];
};
static_assert(sizeof(SummaryState) <= 128, "one 128-byte chunk per customer");

// For error messages: timestamptz_to_str writes a static buffer, copied at once.
std::string timestamp_text(TimestampTz ts) {
  return postgres_guard([&] { return timestamptz_to_str(ts); });
}

[[noreturn]] pg_noinline pg_attribute_cold void settings_differ(const SummaryState* state, TimestampTz as_of,
                                                                int32 unit) {
  if (state->as_of != as_of)
    throw SqlStateError(
        ERRCODE_INVALID_PARAMETER_VALUE,
        formatted("customer_summary: as_of must be the same on every row of a group, got %s and %s",
                  timestamp_text(state->as_of).c_str(), timestamp_text(as_of).c_str()));
  if (state->unit != unit)
    throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                        "customer_summary: the time unit must be the same on every row of a group");
  throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                      "customer_summary: the time zone must be the same on every row of a group");
}

// Every row of a group has the group's settings (one comparison each; the errors are out of line).
inline void check_same_settings(const SummaryState* state, TimestampTz as_of, int32 unit, uint32 zone_key) {
  if (unlikely(state->as_of != as_of || state->unit != unit || state->zone_key != zone_key))
    settings_differ(state, as_of, unit);
}

SummaryState* new_state(MemoryContext context, TimestampTz as_of, int32 as_of_day, int32 unit,
                        uint32 zone_key) {
  auto* state = static_cast<SummaryState*>(loyalty::pg::allocate(context, sizeof(SummaryState)));
  state->as_of = as_of;
  state->first_order = DT_NOEND;
  state->last_order = DT_NOBEGIN;
  state->days = state->inline_days;
  state->totals = loyalty::OrderTotals{};
  state->as_of_day = as_of_day;
  state->zone_key = zone_key;
  state->unit = unit;
  state->sorted = 0;
  state->count = 0;
  state->capacity = kInlineDays;
  state->last_added = loyalty::kNoDay;
  return state;
}

[[noreturn]] pg_noinline pg_attribute_cold void too_many_days() {
  throw SqlStateError(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                      formatted("customer_summary: more than %d distinct order days in one group", kMaxDays),
                      "", "Group by customer: the state holds one entry per order day of the group.");
}

// Room for `count` days (at most twice the limit, the union of two full states before it is checked).
int32* allocate_days(MemoryContext context, int64 count) {
  if (count > 2 * static_cast<int64>(kMaxDays)) too_many_days();
  void* p = loyalty::pg::try_allocate(context, sizeof(int32) * count, true);
  if (p == nullptr)
    throw SqlStateError(
        ERRCODE_OUT_OF_MEMORY, "out of memory",
        formatted("customer_summary could not allocate %lld days.", static_cast<long long>(count)), "");
  return static_cast<int32*>(p);
}

void replace_days(SummaryState* state, int32* days, int32 capacity) {
  if (state->days != state->inline_days) pfree(state->days);
  state->days = days;
  state->capacity = capacity;
}

void normalize_in_place(SummaryState* state) {
  state->count = static_cast<int32>(loyalty::normalize_days(state->days, state->sorted, state->count));
  state->sorted = state->count;
  state->last_added = state->count > 0 ? state->days[state->count - 1] : loyalty::kNoDay;
}

void add_order(MemoryContext context, SummaryState* state, int32 day, TimestampTz ts, double amount) {
  loyalty::add_order(state->totals, day, amount, state->as_of_day);
  if (day <= state->as_of_day) {
    if (ts < state->first_order) state->first_order = ts;
    if (ts > state->last_order) state->last_order = ts;
  }
  if (day == state->last_added) return;  // orders of one day arriving together
  if (state->count == state->capacity) {
    normalize_in_place(state);  // the tail may hold days already listed
    if (state->count == state->capacity) {
      if (state->capacity >= kMaxDays) too_many_days();
      // 5 inline, then 16, 32, 64, ...: powers of two fill the allocator's chunks exactly.
      const int64 grown = state->capacity < 16 ? 16 : 2 * static_cast<int64>(state->capacity);
      const int32 capacity = static_cast<int32>(grown > kMaxDays ? kMaxDays : grown);
      int32* bigger = allocate_days(context, capacity);
      memcpy(bigger, state->days, sizeof(int32) * state->count);
      replace_days(state, bigger, capacity);
    }
  }
  // Only a store into the list: its memory is not read on this path (the state's own fields say all).
  const int32 n = state->count;
  const bool extends_prefix = state->sorted == n && (n == 0 || day > state->last_added);
  state->days[n] = day;
  state->count = n + 1;
  state->last_added = day;
  if (extends_prefix)
    state->sorted = n + 1;
  else if (loyalty::days_need_normalizing(state->sorted, state->count))
    normalize_in_place(state);
}

// ---- the internal-state aggregate (internal_state.hpp) --------------------------------------------------

// The serialised form after the common header: this, written whole (no padding bytes), then `count` int32
// days.
struct SerializedSummary {
  TimestampTz as_of;
  TimestampTz first_order;
  TimestampTz last_order;
  int64 orders;
  int64 holdout_orders;
  double revenue;
  double first_day_revenue;
  double holdout_revenue;
  int32 as_of_day;
  int32 first_day;
  int32 unit;
  uint32 zone_key;
  int32 count;
  int32 reserved;  // 0
};
static_assert(sizeof(SerializedSummary) == 88, "no padding inside the serialised summary");

struct SummaryTraits {
  using State = SummaryState;
  static constexpr const char* name = "customer_summary";
  static constexpr uint32 magic = 0x4c435353;  // "LCSS"
  static constexpr uint32 version = 1;

  static State* copy(MemoryContext context, State* from) {
    normalize_in_place(from);
    State* into = new_state(context, from->as_of, from->as_of_day, from->unit, from->zone_key);
    into->first_order = from->first_order;
    into->last_order = from->last_order;
    into->totals = from->totals;
    if (from->count > into->capacity) replace_days(into, allocate_days(context, from->count), from->count);
    memcpy(into->days, from->days, sizeof(int32) * from->count);
    into->count = into->sorted = from->count;
    into->last_added = from->last_added;
    return into;
  }

  static void merge(MemoryContext context, State* into, State* from) {
    normalize_in_place(from);
    check_same_settings(into, from->as_of, from->unit, from->zone_key);
    normalize_in_place(into);
    const int64 total = static_cast<int64>(into->count) + from->count;
    int32* merged = allocate_days(context, total);
    const int64 count =
        static_cast<int64>(loyalty::merge_days(into->days, into->count, from->days, from->count, merged));
    if (count > kMaxDays) too_many_days();
    replace_days(into, merged, static_cast<int32>(total));
    into->count = into->sorted = static_cast<int32>(count);
    into->last_added = count > 0 ? merged[count - 1] : loyalty::kNoDay;
    loyalty::combine_order_totals(into->totals, from->totals);
    if (from->first_order < into->first_order) into->first_order = from->first_order;
    if (from->last_order > into->last_order) into->last_order = from->last_order;
  }

  // Normalises the state first (the same set of days, compacted): serialize calls this before write.
  static Size payload_size(const State* state) {
    normalize_in_place(const_cast<State*>(state));
    return sizeof(SerializedSummary) + sizeof(int32) * static_cast<Size>(state->count);
  }

  static void write(const State* state, char* out) {
    SerializedSummary h;
    h.as_of = state->as_of;
    h.first_order = state->first_order;
    h.last_order = state->last_order;
    h.orders = state->totals.orders;
    h.holdout_orders = state->totals.holdout_orders;
    h.revenue = state->totals.revenue;
    h.first_day_revenue = state->totals.first_day_revenue;
    h.holdout_revenue = state->totals.holdout_revenue;
    h.as_of_day = state->as_of_day;
    h.first_day = state->totals.first_day;
    h.unit = state->unit;
    h.zone_key = state->zone_key;
    h.count = state->count;
    h.reserved = 0;
    memcpy(out, &h, sizeof h);
    memcpy(out + sizeof h, state->days, sizeof(int32) * state->count);
  }

  static State* read(const char* p, Size size) {
    SerializedSummary h;
    if (size < sizeof h) invalid("too short");
    memcpy(&h, p, sizeof h);
    if (h.count < 0 || h.count > kMaxDays || size != sizeof h + sizeof(int32) * static_cast<Size>(h.count))
      invalid("length does not match its day count");
    if (h.unit < static_cast<int32>(loyalty::TimeUnit::day) ||
        h.unit > static_cast<int32>(loyalty::TimeUnit::month))
      invalid("unknown time unit");
    if (TIMESTAMP_NOT_FINITE(h.as_of)) invalid("as_of is not finite");

    State* state = new_state(CurrentMemoryContext, h.as_of, h.as_of_day, h.unit, h.zone_key);
    if (h.count > state->capacity) replace_days(state, allocate_days(CurrentMemoryContext, h.count), h.count);
    memcpy(state->days, p + sizeof h, sizeof(int32) * h.count);
    state->count = state->sorted = h.count;
    state->last_added = h.count > 0 ? state->days[h.count - 1] : loyalty::kNoDay;
    state->totals.orders = h.orders;
    state->totals.holdout_orders = h.holdout_orders;
    state->totals.revenue = h.revenue;
    state->totals.first_day_revenue = h.first_day_revenue;
    state->totals.holdout_revenue = h.holdout_revenue;
    state->totals.first_day = h.first_day;
    state->first_order = h.first_order;
    state->last_order = h.last_order;

    if (!loyalty::days_are_normalized(state->days, h.count)) invalid("days out of order");
    if (!loyalty::order_totals_are_valid(state->totals)) invalid("inconsistent totals");
    // Calibration orders, a first calibration day equal to the first listed day, and the first and last order
    // timestamps go together.
    const int32 calibration_days =
        static_cast<int32>(std::upper_bound(state->days, state->days + h.count, h.as_of_day) - state->days);
    const bool consistent = calibration_days > 0
                                ? h.first_day == state->days[0] && h.orders >= calibration_days &&
                                      !TIMESTAMP_NOT_FINITE(h.first_order) &&
                                      !TIMESTAMP_NOT_FINITE(h.last_order) && h.first_order <= h.last_order
                                : h.orders == 0 && h.first_order == DT_NOEND && h.last_order == DT_NOBEGIN;
    if (!consistent || h.holdout_orders < h.count - calibration_days) invalid("totals do not match the days");
    return state;
  }

  [[noreturn]] static void invalid(const char* why) { loyalty::pg::invalid_internal_state(name, why); }
};

using SummaryAggregate = loyalty::pg::InternalStateAggregate<SummaryTraits>;

// ---- transition ---------------------------------------------------------------------------------------

[[noreturn]] pg_noinline pg_attribute_cold void argument_is_null(const char* what) {
  throw SqlStateError(ERRCODE_NULL_VALUE_NOT_ALLOWED,
                      formatted("customer_summary: %s must not be null", what));
}

inline void require_not_null(FunctionCallInfo fcinfo, int argno, const char* what) {
  if (unlikely(PG_ARGISNULL(argno))) argument_is_null(what);
}

Datum summary_accum(FunctionCallInfo fcinfo, bool with_unit, bool with_zone) {
  MemoryContext aggcontext = SummaryAggregate::aggregate_context(fcinfo, "accum");
  SummaryState* state = SummaryAggregate::state_arg(fcinfo, 0);

  require_not_null(fcinfo, 3, "as_of");
  if (with_unit) require_not_null(fcinfo, 4, "the time unit");
  if (with_zone) require_not_null(fcinfo, 5, "the time zone");
  const TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(3);
  if (TIMESTAMP_NOT_FINITE(as_of))
    throw SqlStateError(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE, "customer_summary: as_of must be finite");

  CallCache* cache = call_cache(fcinfo);
  if (with_zone)
    loyalty::pg::zone_days_set(&cache->zone, loyalty::pg::packed_argument(fcinfo, 5), "customer_summary");
  if (with_unit) set_unit(cache, loyalty::pg::packed_argument(fcinfo, 4));
  const int32 unit = static_cast<int32>(with_unit ? cache->unit : loyalty::TimeUnit::day);
  const uint32 zone_key = with_zone ? cache->zone.zone_key : 0;

  if (state != nullptr) check_same_settings(state, as_of, unit, zone_key);
  if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) {  // an order without a time or an amount is ignored
    if (state == nullptr) PG_RETURN_NULL();
    return PointerGetDatum(state);
  }
  const TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);
  const double amount = PG_GETARG_FLOAT8(2);
  if (TIMESTAMP_NOT_FINITE(ts))
    throw SqlStateError(
        ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
        formatted("customer_summary: order timestamp must be finite, got %s", timestamp_text(ts).c_str()));
  if (!std::isfinite(amount))
    throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                        formatted("customer_summary: amount must be a finite number, got %g", amount));

  if (state == nullptr) state = new_state(aggcontext, as_of, local_day(cache, as_of), unit, zone_key);
  add_order(aggcontext, state, local_day(cache, ts), ts, amount);
  return PointerGetDatum(state);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_customer_summary_accum) {
  return summary_accum(fcinfo, false, false);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_summary_unit_accum) {
  return summary_accum(fcinfo, true, false);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_summary_zone_accum) {
  return summary_accum(fcinfo, true, true);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_summary_combine) {
  return SummaryAggregate::combine(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_summary_serialize) {
  return SummaryAggregate::serialize(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_summary_deserialize) {
  return SummaryAggregate::deserialize(fcinfo);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_summary_final) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  const auto* state = reinterpret_cast<const SummaryState*>(PG_GETARG_POINTER(0));
  const loyalty::pg::ResultType& type =
      loyalty::pg::result_type(fcinfo, {kResultFields, ERRCODE_DATATYPE_MISMATCH,
                                        "customer_summary_final must return customer_summary_result", false});

  // The final function must leave the state as it is (window use calls it repeatedly): an unsorted tail is
  // normalised in a copy.
  const int32* days = state->days;
  size_t count = static_cast<size_t>(state->count);
  if (state->sorted < state->count) {
    int32* copy = loyalty::pg::allocate_array<int32>(count, true);
    memcpy(copy, state->days, sizeof(int32) * count);
    count = loyalty::normalize_days(copy, static_cast<size_t>(state->sorted), count);
    days = copy;
  }
  const loyalty::CustomerSummary s =
      loyalty::summarize_customer(days, count, state->totals, state->as_of_day,
                                  loyalty::time_unit_days(static_cast<loyalty::TimeUnit>(state->unit)));

  Datum values[kResultFields];
  bool nulls[kResultFields] = {};
  values[0] = Int32GetDatum(static_cast<int32>(s.frequency));
  values[1] = Float8GetDatum(s.recency);
  values[2] = Float8GetDatum(s.t);
  values[3] = Float8GetDatum(s.monetary);
  values[4] = Int64GetDatum(state->totals.orders);
  values[5] = Float8GetDatum(state->totals.revenue);
  values[6] = TimestampTzGetDatum(state->first_order);
  values[7] = TimestampTzGetDatum(state->last_order);
  values[8] = Int32GetDatum(s.days_since_last);
  values[9] = Int32GetDatum(static_cast<int32>(s.holdout_frequency));
  values[10] = Int64GetDatum(state->totals.holdout_orders);
  values[11] = Float8GetDatum(state->totals.holdout_revenue);
  values[12] = Float8GetDatum(s.holdout_monetary);
  if (!s.has_calibration) {  // every order is after as_of: no calibration summary, only the holdout
    for (int i : {0, 1, 2, 3, 6, 7, 8}) nulls[i] = true;
  }
  return loyalty::pg::form_result_tuple(type.desc, values, nulls);
}
