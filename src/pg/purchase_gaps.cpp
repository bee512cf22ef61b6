// SQL binding of purchase_gaps(ordered_at, as_of) (src/core/purchase_gaps.hpp), an aggregate used with
// GROUP BY customer, returning purchase_gaps_result (src/sql/510_purchase_gaps.sql).
//
// State (internal, in the aggregate's memory context): as_of and its calendar day, and the customer's
// distinct purchase days up to that day (src/pg/day_list.hpp, 4 bytes a day). Serialised to bytea for
// parallel workers; the combine function merges the two day sets, so the result does not depend on how the
// rows were split. Calendar days are taken in the session's TimeZone, as ordered_at::date would, or in the
// zone given (the `zone` overload), as (ordered_at AT TIME ZONE zone)::date (zone_day.hpp); as_of's day too.
// The zone must be the same on every row of a group (the state keeps a key of it, 0 for the session zone).
#include <cmath>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "purchase_gaps.hpp"

#include "boundary.hpp"
#include "memory.hpp"
#include "day_list.hpp"
#include "guarded_tuple.hpp"
#include "zone_day.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "utils/date.h"
#include "utils/timestamp.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::pg::DayList;

constexpr int kResultFields = 8;
constexpr uint32 kStateMagic = 0x4c504731;  // "LPG1"

struct GapState {
  TimestampTz as_of;
  int32 as_of_day;
  uint32 zone_key;
  DayList days;
};

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* function) {
  MemoryContext context;
  if (!AggCheckCallContext(fcinfo, &context))
    throw loyalty::pg::SqlStateError(ERRCODE_FEATURE_NOT_SUPPORTED,
                                     std::string(function) + " called in non-aggregate context");
  return context;
}

GapState* new_state(MemoryContext context, TimestampTz as_of, int32 as_of_day, uint32 zone_key) {
  auto* state = static_cast<GapState*>(loyalty::pg::allocate(context, sizeof(GapState), true));
  state->as_of = as_of;
  state->as_of_day = as_of_day;
  state->zone_key = zone_key;
  loyalty::pg::day_list_init(&state->days);
  return state;
}

void check_same_settings(const GapState* state, TimestampTz as_of, uint32 zone_key) {
  if (state->as_of != as_of)
    throw std::invalid_argument("purchase_gaps: as_of must be the same on every row of a group");
  if (state->zone_key != zone_key)
    throw std::invalid_argument("purchase_gaps: the time zone must be the same on every row of a group");
}

struct SerializedHeader {
  uint32 magic;
  int32 as_of_day;
  int64 as_of;
  int32 count;
  uint32 zone_key;
};

[[noreturn]] void invalid_state(const char* why) {
  throw std::invalid_argument(std::string("invalid purchase_gaps state: ") + why);
}

}  // namespace

namespace {

// zone_argno: the `zone` argument, or -1 for the session's TimeZone.
Datum gaps_accum(FunctionCallInfo fcinfo, int zone_argno) {
  MemoryContext context = aggregate_context(fcinfo, "purchase_gaps_accum");
  auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<GapState*>(PG_GETARG_POINTER(0));
  if (PG_ARGISNULL(2))
    throw loyalty::pg::SqlStateError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "purchase_gaps: as_of must not be null");
  if (zone_argno >= 0 && PG_ARGISNULL(zone_argno))
    throw loyalty::pg::SqlStateError(ERRCODE_NULL_VALUE_NOT_ALLOWED,
                                     "purchase_gaps: the time zone must not be null");
  const TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);
  if (TIMESTAMP_NOT_FINITE(as_of))
    throw loyalty::pg::SqlStateError(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
                                     "purchase_gaps: as_of must be finite");
  loyalty::pg::ZoneDays* zone = loyalty::pg::zone_days(fcinfo, zone_argno, "purchase_gaps");
  if (state != nullptr) check_same_settings(state, as_of, zone->zone_key);
  if (PG_ARGISNULL(1)) {  // an order without a time is ignored
    if (state == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(state);
  }
  const TimestampTz ordered_at = PG_GETARG_TIMESTAMPTZ(1);
  if (TIMESTAMP_NOT_FINITE(ordered_at))
    throw loyalty::pg::SqlStateError(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
                                     "purchase_gaps: order times must be finite");
  if (state == nullptr)
    state = new_state(context, as_of, loyalty::pg::zone_local_day(zone, as_of), zone->zone_key);
  const int32 day = loyalty::pg::zone_local_day(zone, ordered_at);
  if (day <= state->as_of_day) loyalty::pg::day_list_add(&state->days, context, day);  // later: not yet known
  PG_RETURN_POINTER(state);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_purchase_gaps_accum) {
  return gaps_accum(fcinfo, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_purchase_gaps_zone_accum) {
  return gaps_accum(fcinfo, 3);
}

LOYALTY_SQL_FUNCTION(loyalty_purchase_gaps_combine) {
  MemoryContext context = aggregate_context(fcinfo, "purchase_gaps_combine");
  auto* into = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<GapState*>(PG_GETARG_POINTER(0));
  auto* from = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<GapState*>(PG_GETARG_POINTER(1));
  if (from == nullptr) {
    if (into == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(into);
  }
  if (into == nullptr) {  // a copy in the aggregate's context
    into = new_state(context, from->as_of, from->as_of_day, from->zone_key);
  } else {
    check_same_settings(into, from->as_of, from->zone_key);
  }
  loyalty::pg::day_list_merge(&into->days, context, &from->days);
  PG_RETURN_POINTER(into);
}

LOYALTY_SQL_FUNCTION(loyalty_purchase_gaps_serialize) {
  aggregate_context(fcinfo, "purchase_gaps_serialize");
  auto* state = reinterpret_cast<GapState*>(PG_GETARG_POINTER(0));
  loyalty::pg::day_list_normalize(&state->days);  // the same set, compacted
  const Size size =
      VARHDRSZ + sizeof(SerializedHeader) + sizeof(int32) * static_cast<Size>(state->days.count);
  auto* result = static_cast<bytea*>(loyalty::pg::allocate(CurrentMemoryContext, size));
  SET_VARSIZE(result, size);
  SerializedHeader h{kStateMagic, state->as_of_day, state->as_of, state->days.count, state->zone_key};
  memcpy(VARDATA(result), &h, sizeof h);
  memcpy(VARDATA(result) + sizeof h, loyalty::pg::day_list_data(&state->days),
         sizeof(int32) * state->days.count);
  PG_RETURN_BYTEA_P(result);
}

LOYALTY_SQL_FUNCTION(loyalty_purchase_gaps_deserialize) {
  aggregate_context(fcinfo, "purchase_gaps_deserialize");
  const bytea* bytes = loyalty::pg::postgres_guard([&] { return PG_GETARG_BYTEA_PP(0); });
  const Size size = VARSIZE_ANY_EXHDR(bytes);
  const char* p = VARDATA_ANY(bytes);
  SerializedHeader h;
  if (size < sizeof h) invalid_state("too short");
  memcpy(&h, p, sizeof h);
  if (h.magic != kStateMagic) invalid_state("unknown format");
  if (h.count < 0 || h.count > loyalty::pg::kMaxListDays ||
      size != sizeof h + sizeof(int32) * static_cast<Size>(h.count))
    invalid_state("length does not match its day count");
  if (TIMESTAMP_NOT_FINITE(h.as_of)) invalid_state("as_of is not finite");
  // Into the current (per-tuple) context: the combine function copies what it keeps.
  GapState* state = new_state(CurrentMemoryContext, h.as_of, h.as_of_day, h.zone_key);
  loyalty::pg::day_list_assign(&state->days, CurrentMemoryContext,
                               reinterpret_cast<const int32*>(p + sizeof h), h.count);
  const int32* days = loyalty::pg::day_list_data(&state->days);
  for (int32 i = 0; i < h.count; ++i)
    if ((i > 0 && days[i] <= days[i - 1]) || days[i] > h.as_of_day) invalid_state("days out of order");
  PG_RETURN_POINTER(state);
}

LOYALTY_SQL_FUNCTION(loyalty_purchase_gaps_final) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  auto* state = reinterpret_cast<GapState*>(PG_GETARG_POINTER(0));
  // Normalising leaves the set of days as it was: the state still means the same.
  loyalty::pg::day_list_normalize(&state->days);
  if (state->days.count == 0) PG_RETURN_NULL();  // every order was after as_of
  const loyalty::PurchaseGaps g =
      loyalty::purchase_gaps(loyalty::pg::day_list_data(&state->days), state->days.count, state->as_of_day);
  TupleDesc tupdesc = loyalty::pg::guarded_result_descriptor(fcinfo, kResultFields, "purchase_gaps_result");
  const double signals[] = {g.mean_gap, g.last_gap, g.gap_trend, g.silence_ratio};
  Datum values[kResultFields] = {Int32GetDatum(static_cast<int32>(g.purchase_days)),
                                 DateADTGetDatum(g.first_day),
                                 DateADTGetDatum(g.last_day),
                                 Float8GetDatum(signals[0]),
                                 Float8GetDatum(signals[1]),
                                 Float8GetDatum(signals[2]),
                                 Int32GetDatum(static_cast<int32>(g.days_since_last)),
                                 Float8GetDatum(signals[3])};
  bool nulls[kResultFields] = {};
  nulls[3] = std::isnan(signals[0]);
  nulls[4] = std::isnan(signals[1]);
  nulls[5] = std::isnan(signals[2]);
  nulls[7] = std::isnan(signals[3]);
  return loyalty::pg::guarded_tuple(tupdesc, values, nulls);
}
