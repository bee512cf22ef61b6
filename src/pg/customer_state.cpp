// SQL binding of the real-time customer state (src/core/customer_state.hpp, src/sql/530_customer_state.sql):
// the customer_state composite, customer_state_add, customer_state_merge, the customer_state_agg aggregate
// and customer_state_summary. The trigger function is in customer_state_trigger.cpp.
//
// The composite's fields, in order: orders, revenue, first_day_revenue, first_order, last_order, first_day,
// last_day, purchase_days, days (bytea: the bitmap of purchase days from first_day). A state read from SQL is
// validated in full before use (a user may have written it). customer_state_agg keeps an internal state (the
// same fields, the bitmap in a growing buffer) and forms the composite once, in its final function.
//
// Calendar days: the session's TimeZone, or the zone given to the `zone` overloads, as (ordered_at AT TIME
// ZONE zone)::date (zone_day.hpp). A state does not record its zone: the functions that build and read one
// customer's state must be given the same zone (customer_state_agg checks it within its group).
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "customer_state.hpp"
#include "customer_summary.hpp"

#include "arguments.hpp"
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
#include "utils/typcache.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::CustomerStateFixed;

constexpr int kStateFields = 9;
constexpr int kSummaryFields = 13;
constexpr uint32 kAggMagic = 0x4c435332;  // "LCS2" (LCS1, without the zone key, was 0.1.0's)

// The zone of text argument `zone_argno`, which must not be NULL.
void set_zone(FunctionCallInfo fcinfo, loyalty::pg::ZoneDays* days, int zone_argno, const char* function) {
  if (PG_ARGISNULL(zone_argno))
    throw loyalty::pg::SqlStateError(ERRCODE_NULL_VALUE_NOT_ALLOWED,
                                     std::string(function) + ": the time zone must not be null");
  loyalty::pg::zone_days_set(days, loyalty::pg::packed_argument(fcinfo, zone_argno), function);
}

// Per call site (fn_extra): the zone's day cache and the blessed descriptor of customer_state.
struct StateCallCache {
  loyalty::pg::ZoneDays days;
  TupleDesc state_desc;   // nullptr until first needed
  TupleDesc result_desc;  // of customer_summary_result, for customer_state_summary
};

// The call site's cache; with `zone_argno` >= 0, the zone of that text argument (22004 when it is NULL) is
// set.
StateCallCache* call_cache(FunctionCallInfo fcinfo, int zone_argno = -1, const char* function = "") {
  auto* cache = static_cast<StateCallCache*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = static_cast<StateCallCache*>(loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof *cache, true));
    loyalty::pg::zone_days_init(&cache->days);
    cache->state_desc = nullptr;
    cache->result_desc = nullptr;
    fcinfo->flinfo->fn_extra = cache;
  }
  if (zone_argno >= 0) set_zone(fcinfo, &cache->days, zone_argno, function);
  return cache;
}

// The descriptor of the customer_state type: the type of argument `argno` when it is given, else the result.
TupleDesc state_descriptor(FunctionCallInfo fcinfo, StateCallCache* cache) {
  if (cache->state_desc != nullptr) return cache->state_desc;
  cache->state_desc = loyalty::pg::postgres_guard([&]() -> TupleDesc {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE || desc->natts != kStateFields)
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("function must return customer_state")));
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    TupleDesc kept = BlessTupleDesc(CreateTupleDescCopy(desc));
    MemoryContextSwitchTo(old);
    return kept;
  });
  return cache->state_desc;
}

// A state decoded from its composite: the fixed fields and a pointer to the bitmap (inside the detoasted
// value).
struct DecodedState {
  CustomerStateFixed fixed;
  const uint8* bits;
  Size bytes;
};

[[noreturn]] void invalid_state(const char* why) {
  throw std::invalid_argument(std::string("invalid customer_state: ") + why);
}

// Decodes and validates argument `argno` (a customer_state composite, not NULL).
DecodedState decode_state(FunctionCallInfo fcinfo, int argno) {
  Datum values[kStateFields];
  bool nulls[kStateFields];
  loyalty::pg::postgres_guard([&] {
    HeapTupleHeader header = PG_GETARG_HEAPTUPLEHEADER(argno);
    TupleDesc desc =
        lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(header), HeapTupleHeaderGetTypMod(header));
    HeapTupleData tuple;
    tuple.t_len = HeapTupleHeaderGetDatumLength(header);
    ItemPointerSetInvalid(&tuple.t_self);
    tuple.t_tableOid = InvalidOid;
    tuple.t_data = header;
    if (desc->natts != kStateFields)
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("argument must be a customer_state")));
    heap_deform_tuple(&tuple, desc, values, nulls);
    ReleaseTupleDesc(desc);
    if (!nulls[8]) values[8] = PointerGetDatum(PG_DETOAST_DATUM_PACKED(values[8]));
  });
  for (int i = 0; i < kStateFields; ++i)
    if (nulls[i]) invalid_state("a field is NULL");
  DecodedState s;
  s.fixed.orders = DatumGetInt64(values[0]);
  s.fixed.revenue = DatumGetFloat8(values[1]);
  s.fixed.first_day_revenue = DatumGetFloat8(values[2]);
  s.fixed.first_order = DatumGetTimestampTz(values[3]);
  s.fixed.last_order = DatumGetTimestampTz(values[4]);
  s.fixed.first_day = DatumGetDateADT(values[5]);
  s.fixed.last_day = DatumGetDateADT(values[6]);
  s.fixed.purchase_days = DatumGetInt32(values[7]);
  const auto* bytes = reinterpret_cast<const bytea*>(DatumGetPointer(values[8]));
  s.bits = reinterpret_cast<const uint8*>(VARDATA_ANY(bytes));
  s.bytes = VARSIZE_ANY_EXHDR(bytes);
  if (s.fixed.orders <= 0) invalid_state("orders must be positive");
  if (TIMESTAMP_NOT_FINITE(s.fixed.first_order) || TIMESTAMP_NOT_FINITE(s.fixed.last_order) ||
      DATE_NOT_FINITE(s.fixed.first_day) || DATE_NOT_FINITE(s.fixed.last_day))
    invalid_state("times must be finite");
  if (!loyalty::state_is_valid(s.fixed, s.bits, s.bytes)) invalid_state("fields and day bitmap disagree");
  return s;
}

// The composite of a state whose bitmap is in a bytea `days` (already filled, in the current context).
Datum encode_state(TupleDesc desc, const CustomerStateFixed& s, bytea* days) {
  Datum values[kStateFields] = {Int64GetDatum(s.orders),
                                Float8GetDatum(s.revenue),
                                Float8GetDatum(s.first_day_revenue),
                                TimestampTzGetDatum(s.first_order),
                                TimestampTzGetDatum(s.last_order),
                                DateADTGetDatum(s.first_day),
                                DateADTGetDatum(s.last_day),
                                Int32GetDatum(s.purchase_days),
                                PointerGetDatum(days)};
  bool nulls[kStateFields] = {};
  return loyalty::pg::guarded_tuple(desc, values, nulls);
}

bytea* new_bytea(Size bytes) {
  auto* b = static_cast<bytea*>(loyalty::pg::allocate(CurrentMemoryContext, VARHDRSZ + bytes));
  SET_VARSIZE(b, VARHDRSZ + bytes);
  return b;
}

void check_order(TimestampTz ordered_at, double amount) {
  if (TIMESTAMP_NOT_FINITE(ordered_at))
    throw loyalty::pg::SqlStateError(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
                                     "customer_state: order times must be finite");
  if (!std::isfinite(amount)) throw std::invalid_argument("customer_state: amount must be a finite number");
}

// ---- the aggregate's internal state ----------------------------------------------------------------------

struct PartialState {
  CustomerStateFixed fixed;
  uint8* bits;
  int32 capacity;
  uint32 zone_key;  // ZoneDays::zone_key of the group's rows (0: the session zone)
};

PartialState* new_partial_state(MemoryContext context, uint32 zone_key) {
  auto* s = static_cast<PartialState*>(loyalty::pg::allocate(context, sizeof(PartialState), true));
  s->fixed = CustomerStateFixed{};
  s->bits = nullptr;
  s->capacity = 0;
  s->zone_key = zone_key;
  return s;
}

void check_same_zone(const PartialState* s, uint32 zone_key) {
  if (s->zone_key != zone_key)
    throw std::invalid_argument("customer_state_agg: the time zone must be the same on every row of a group");
}

// Room for `bytes` bitmap bytes (the old content kept), in `context`.
void reserve_bits(PartialState* s, MemoryContext context, Size bytes) {
  if (static_cast<Size>(s->capacity) >= bytes) return;
  Size capacity = s->capacity < 16 ? 16 : 2 * static_cast<Size>(s->capacity);
  if (capacity < bytes) capacity = bytes;
  auto* bigger = static_cast<uint8*>(loyalty::pg::allocate(context, capacity, true));
  if (s->bits != nullptr) {
    memcpy(bigger, s->bits, loyalty::state_bitmap_bytes(s->fixed));
    pfree(s->bits);
  }
  s->bits = bigger;
  s->capacity = static_cast<int32>(capacity);
}

void agg_add(PartialState* s, MemoryContext context, int32 day, TimestampTz ordered_at, double amount) {
  reserve_bits(s, context, loyalty::state_bitmap_bytes_after(s->fixed, day));
  loyalty::state_add_order(s->fixed, s->bits, s->bits, day, ordered_at, amount);
}

void agg_merge(PartialState* into, MemoryContext context, const CustomerStateFixed& from,
               const uint8* from_bits) {
  const Size bytes = loyalty::state_bitmap_bytes_merged(into->fixed, from);
  auto* merged = static_cast<uint8*>(loyalty::pg::allocate(context, bytes > 0 ? bytes : 1, true));
  loyalty::state_merge(into->fixed, into->bits, from, from_bits, merged);
  if (into->bits != nullptr) pfree(into->bits);
  into->bits = merged;
  into->capacity = static_cast<int32>(bytes > 0 ? bytes : 1);
}

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* function) {
  MemoryContext context;
  if (!AggCheckCallContext(fcinfo, &context))
    throw loyalty::pg::SqlStateError(ERRCODE_FEATURE_NOT_SUPPORTED,
                                     std::string(function) + " called in non-aggregate context");
  return context;
}

struct SerializedFixed {  // memcpy'd, no padding
  uint32 magic;
  uint32 zone_key;
  int32 reserved;  // 0
  int32 purchase_days;
  int64 orders;
  double revenue;
  double first_day_revenue;
  int64 first_order;
  int64 last_order;
  int32 first_day;
  int32 last_day;
};
static_assert(sizeof(SerializedFixed) == 64, "no padding");

}  // namespace

// customer_state_add(state, ordered_at, amount [, zone]): the state with one more order; NULL state: a new
// one.
LOYALTY_SQL_FUNCTION(loyalty_customer_state_add) {
  const int zone_argno = PG_NARGS() > 3 ? 3 : -1;
  if (zone_argno >= 0 && PG_ARGISNULL(zone_argno))
    throw loyalty::pg::SqlStateError(ERRCODE_NULL_VALUE_NOT_ALLOWED,
                                     "customer_state_add: the time zone must not be null");
  if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) {  // an order without a time or an amount changes nothing
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    PG_RETURN_DATUM(PG_GETARG_DATUM(0));
  }
  const TimestampTz ordered_at = PG_GETARG_TIMESTAMPTZ(1);
  const double amount = PG_GETARG_FLOAT8(2);
  check_order(ordered_at, amount);
  StateCallCache* cache = call_cache(fcinfo, zone_argno, "customer_state_add");
  TupleDesc desc = state_descriptor(fcinfo, cache);
  const int32 day = loyalty::pg::zone_local_day(&cache->days, ordered_at);
  DecodedState s{};
  if (!PG_ARGISNULL(0)) s = decode_state(fcinfo, 0);
  bytea* days = new_bytea(loyalty::state_bitmap_bytes_after(s.fixed, day));
  loyalty::state_add_order(s.fixed, s.bits, reinterpret_cast<uint8*>(VARDATA(days)), day, ordered_at, amount);
  return encode_state(desc, s.fixed, days);
}

// customer_state_merge(a, b): the state of both order sets (of one customer); NULL when both are NULL.
LOYALTY_SQL_FUNCTION(loyalty_customer_state_merge) {
  if (PG_ARGISNULL(0) && PG_ARGISNULL(1)) PG_RETURN_NULL();
  if (PG_ARGISNULL(0)) PG_RETURN_DATUM(PG_GETARG_DATUM(1));
  if (PG_ARGISNULL(1)) PG_RETURN_DATUM(PG_GETARG_DATUM(0));
  StateCallCache* cache = call_cache(fcinfo);
  TupleDesc desc = state_descriptor(fcinfo, cache);
  DecodedState a = decode_state(fcinfo, 0);
  const DecodedState b = decode_state(fcinfo, 1);
  bytea* days = new_bytea(loyalty::state_bitmap_bytes_merged(a.fixed, b.fixed));
  loyalty::state_merge(a.fixed, a.bits, b.fixed, b.bits, reinterpret_cast<uint8*>(VARDATA(days)));
  return encode_state(desc, a.fixed, days);
}

// customer_state_agg's transition: (state, ordered_at, amount [, zone]).
LOYALTY_SQL_FUNCTION(loyalty_customer_state_agg_accum) {
  MemoryContext context = aggregate_context(fcinfo, "customer_state_agg_accum");
  auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<PartialState*>(PG_GETARG_POINTER(0));
  loyalty::pg::ZoneDays* zone = loyalty::pg::zone_days(fcinfo);
  if (PG_NARGS() > 3) set_zone(fcinfo, zone, 3, "customer_state_agg");
  if (state != nullptr) check_same_zone(state, zone->zone_key);
  if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) {
    if (state == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(state);
  }
  const TimestampTz ordered_at = PG_GETARG_TIMESTAMPTZ(1);
  const double amount = PG_GETARG_FLOAT8(2);
  check_order(ordered_at, amount);
  const int32 day = loyalty::pg::zone_local_day(zone, ordered_at);
  if (state == nullptr) state = new_partial_state(context, zone->zone_key);
  agg_add(state, context, day, ordered_at, amount);
  PG_RETURN_POINTER(state);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_state_agg_combine) {
  MemoryContext context = aggregate_context(fcinfo, "customer_state_agg_combine");
  auto* into = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<PartialState*>(PG_GETARG_POINTER(0));
  auto* from = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<PartialState*>(PG_GETARG_POINTER(1));
  if (from == nullptr) {
    if (into == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(into);
  }
  if (into == nullptr)
    into = new_partial_state(context, from->zone_key);  // a copy in the aggregate's context
  check_same_zone(into, from->zone_key);
  agg_merge(into, context, from->fixed, from->bits);
  PG_RETURN_POINTER(into);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_state_agg_serialize) {
  aggregate_context(fcinfo, "customer_state_agg_serialize");
  const auto* s = reinterpret_cast<const PartialState*>(PG_GETARG_POINTER(0));
  const Size bytes = loyalty::state_bitmap_bytes(s->fixed);
  bytea* out = new_bytea(sizeof(SerializedFixed) + bytes);
  const SerializedFixed h{kAggMagic,
                          s->zone_key,
                          0,
                          s->fixed.purchase_days,
                          s->fixed.orders,
                          s->fixed.revenue,
                          s->fixed.first_day_revenue,
                          s->fixed.first_order,
                          s->fixed.last_order,
                          s->fixed.first_day,
                          s->fixed.last_day};
  memcpy(VARDATA(out), &h, sizeof h);
  if (bytes > 0) memcpy(VARDATA(out) + sizeof h, s->bits, bytes);
  PG_RETURN_BYTEA_P(out);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_state_agg_deserialize) {
  aggregate_context(fcinfo, "customer_state_agg_deserialize");
  const bytea* in = loyalty::pg::postgres_guard([&] { return PG_GETARG_BYTEA_PP(0); });
  const Size size = VARSIZE_ANY_EXHDR(in);
  const char* p = VARDATA_ANY(in);
  SerializedFixed h;
  if (size < sizeof h) invalid_state("too short");
  memcpy(&h, p, sizeof h);
  if (h.magic != kAggMagic) invalid_state("unknown format");
  CustomerStateFixed fixed;
  fixed.orders = h.orders;
  fixed.revenue = h.revenue;
  fixed.first_day_revenue = h.first_day_revenue;
  fixed.first_order = h.first_order;
  fixed.last_order = h.last_order;
  fixed.first_day = h.first_day;
  fixed.last_day = h.last_day;
  fixed.purchase_days = h.purchase_days;
  const auto* bits = reinterpret_cast<const uint8*>(p + sizeof h);
  if (!loyalty::state_is_valid(fixed, bits, size - sizeof h)) invalid_state("fields and day bitmap disagree");
  // Into the current (per-tuple) context: the combine function copies what it keeps.
  PartialState* s = new_partial_state(CurrentMemoryContext, h.zone_key);
  agg_merge(s, CurrentMemoryContext, fixed, bits);
  PG_RETURN_POINTER(s);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_state_agg_final) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  const auto* s = reinterpret_cast<const PartialState*>(PG_GETARG_POINTER(0));
  if (s->fixed.orders == 0) PG_RETURN_NULL();
  StateCallCache* cache = call_cache(fcinfo);
  TupleDesc desc = state_descriptor(fcinfo, cache);
  const Size bytes = loyalty::state_bitmap_bytes(s->fixed);
  bytea* days = new_bytea(bytes);
  memcpy(VARDATA(days), s->bits, bytes);
  return encode_state(desc, s->fixed, days);
}

// customer_state_summary(state, as_of [, unit [, zone]]): the customer_summary_result of the state at as_of.
LOYALTY_SQL_FUNCTION(loyalty_customer_state_summary) {
  const DecodedState s = decode_state(fcinfo, 0);
  const TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
  if (TIMESTAMP_NOT_FINITE(as_of))
    throw loyalty::pg::SqlStateError(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
                                     "customer_state_summary: as_of must be finite");
  loyalty::TimeUnit unit = loyalty::TimeUnit::day;
  if (PG_NARGS() > 2) {
    const char* name = loyalty::pg::postgres_guard([&] { return text_to_cstring(PG_GETARG_TEXT_PP(2)); });
    unit = loyalty::parse_time_unit(name);
  }
  StateCallCache* cache = call_cache(fcinfo, PG_NARGS() > 3 ? 3 : -1, "customer_state_summary");
  const int32 as_of_day = loyalty::pg::zone_local_day(&cache->days, as_of);
  const loyalty::CustomerSummary r =
      loyalty::state_summary(s.fixed, as_of_day, loyalty::time_unit_days(unit));
  if (cache->result_desc == nullptr)
    cache->result_desc = loyalty::pg::postgres_guard([&]() -> TupleDesc {
      TupleDesc desc;
      if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE || desc->natts != kSummaryFields)
        ereport(ERROR,
                (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("function must return customer_summary_result")));
      MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
      TupleDesc kept = BlessTupleDesc(CreateTupleDescCopy(desc));
      MemoryContextSwitchTo(old);
      return kept;
    });
  Datum values[kSummaryFields] = {Int32GetDatum(static_cast<int32>(r.frequency)),
                                  Float8GetDatum(r.recency),
                                  Float8GetDatum(r.t),
                                  Float8GetDatum(r.monetary),
                                  Int64GetDatum(s.fixed.orders),
                                  Float8GetDatum(s.fixed.revenue),
                                  TimestampTzGetDatum(s.fixed.first_order),
                                  TimestampTzGetDatum(s.fixed.last_order),
                                  Int32GetDatum(r.days_since_last),
                                  Int32GetDatum(0),
                                  Int64GetDatum(0),
                                  Float8GetDatum(0.0),
                                  Float8GetDatum(0.0)};
  bool nulls[kSummaryFields] = {};
  return loyalty::pg::guarded_tuple(cache->result_desc, values, nulls);
}
