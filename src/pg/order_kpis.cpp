// SQL binding of order_kpis(customer_id, ordered_at, amount [, first_contact]) (src/core/order_kpis.hpp),
// returning order_kpis_result (src/sql/500_order_kpis.sql).
//
// State (internal, in the aggregate's memory context): the group's order count and revenue, and an
// open-addressing hash table of its customers, each with its first order time, first contact time and the
// set of its distinct purchase days (src/pg/day_list.hpp). The distinct days are what makes the aggregate
// exact under any split of the rows: two partial states of one customer merge into the union of their day
// sets, so distinct purchase days (and the gaps they give) are counted once. Cost: 64 bytes per customer
// (a slot of a table kept at most 3/4 full, so up to 85 bytes) and 4 bytes per purchase day beyond the
// fourth. Serialised to bytea for parallel workers: 28 bytes per customer plus 4 per purchase day.
//
// Calendar days are taken in the session's TimeZone, as ordered_at::date would, or in the zone given (the
// `zone` overloads), as (ordered_at AT TIME ZONE zone)::date (zone_day.hpp). The zone must be the same on
// every row of a group: the state keeps a key of it (0: the session zone), which partial states must share.
#include <cmath>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "order_kpis.hpp"

#include "boundary.hpp"
#include "memory.hpp"
#include "day_list.hpp"
#include "guarded_tuple.hpp"
#include "zone_day.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "utils/timestamp.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::pg::DayList;

// 20M customers in one group: a table of 2^25 slots, 2 GB. A larger group is refused (54000).
constexpr int64 kMaxCustomers = 20000000;
constexpr int kResultFields = 12;
constexpr uint32 kStateMagic = 0x4c4b5031;  // "LKP1"

struct KpiCustomer {
  int64 customer;
  TimestampTz first_order;
  TimestampTz first_contact;  // DT_NOEND: none given
  DayList days;               // count 0: a free slot
};
static_assert(sizeof(KpiCustomer) == 64, "one cache line per customer");

struct KpiState {
  int64 orders;
  double revenue;
  int64 customers;
  int64 mask;  // slots - 1, slots a power of two
  KpiCustomer* slots;
  uint32 zone_key;  // ZoneDays::zone_key of the group's rows
};

uint64 hash_customer(int64 id) {  // splitmix64's finaliser
  uint64 z = static_cast<uint64>(id) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

KpiCustomer* allocate_slots(MemoryContext context, int64 count) {
  auto* slots = static_cast<KpiCustomer*>(loyalty::pg::allocate(context, sizeof(KpiCustomer) * count, true));
  memset(slots, 0, sizeof(KpiCustomer) * count);
  return slots;
}

KpiState* new_state(MemoryContext context, int64 slots, uint32 zone_key) {
  auto* state = static_cast<KpiState*>(loyalty::pg::allocate(context, sizeof(KpiState), true));
  state->zone_key = zone_key;
  state->orders = 0;
  state->revenue = 0;
  state->customers = 0;
  state->mask = slots - 1;
  state->slots = allocate_slots(context, slots);
  return state;
}

void grow(KpiState* state, MemoryContext context) {
  const int64 old_count = state->mask + 1;
  KpiCustomer* old = state->slots;
  const int64 count = 2 * old_count;
  KpiCustomer* slots = allocate_slots(context, count);
  const int64 mask = count - 1;
  for (int64 i = 0; i < old_count; ++i) {
    if (old[i].days.count == 0) continue;
    int64 j = static_cast<int64>(hash_customer(old[i].customer) & static_cast<uint64>(mask));
    while (slots[j].days.count != 0) j = (j + 1) & mask;
    slots[j] = old[i];  // a chunk of days moves by pointer; inline days by value
  }
  pfree(old);
  state->slots = slots;
  state->mask = mask;
}

// The customer's slot, a new one (days empty, times unset) when `*inserted`.
KpiCustomer* find_or_insert(KpiState* state, MemoryContext context, int64 customer, bool* inserted) {
  int64 i = static_cast<int64>(hash_customer(customer) & static_cast<uint64>(state->mask));
  while (state->slots[i].days.count != 0) {
    if (state->slots[i].customer == customer) {
      *inserted = false;
      return &state->slots[i];
    }
    i = (i + 1) & state->mask;
  }
  if (4 * (state->customers + 1) > 3 * (state->mask + 1)) {
    if (state->customers >= kMaxCustomers)
      throw std::length_error("order_kpis: more than " + std::to_string(kMaxCustomers) +
                              " customers in one group");
    grow(state, context);
    return find_or_insert(state, context, customer, inserted);
  }
  ++state->customers;
  KpiCustomer* slot = &state->slots[i];
  slot->customer = customer;
  slot->first_order = DT_NOEND;
  slot->first_contact = DT_NOEND;
  loyalty::pg::day_list_init(&slot->days);
  *inserted = true;
  return slot;
}

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* function) {
  MemoryContext context;
  if (!AggCheckCallContext(fcinfo, &context))
    throw loyalty::pg::SqlStateError(ERRCODE_FEATURE_NOT_SUPPORTED,
                                     std::string(function) + " called in non-aggregate context");
  return context;
}

// ---- transition -------------------------------------------------------------------------------------

[[noreturn]] pg_noinline pg_attribute_cold void zones_differ() {
  throw std::invalid_argument("order_kpis: the time zone must be the same on every row of a group");
}

// zone_argno: the `zone` argument, or -1 for the session's TimeZone.
Datum kpi_accum(FunctionCallInfo fcinfo, bool with_contact, int zone_argno) {
  MemoryContext context = aggregate_context(fcinfo, "order_kpis_accum");
  auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<KpiState*>(PG_GETARG_POINTER(0));
  if (zone_argno >= 0 && PG_ARGISNULL(zone_argno))
    throw loyalty::pg::SqlStateError(ERRCODE_NULL_VALUE_NOT_ALLOWED,
                                     "order_kpis: the time zone must not be null");
  loyalty::pg::ZoneDays* zone = loyalty::pg::zone_days(fcinfo, zone_argno, "order_kpis");
  if (state != nullptr && state->zone_key != zone->zone_key) zones_differ();
  // A row without a customer, time or amount is ignored, as built-in aggregates ignore NULLs.
  if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3)) {
    if (state == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(state);
  }
  const int64 customer = PG_GETARG_INT64(1);
  const TimestampTz ordered_at = PG_GETARG_TIMESTAMPTZ(2);
  const double amount = PG_GETARG_FLOAT8(3);
  const bool has_contact = with_contact && !PG_ARGISNULL(4);
  const TimestampTz contact = has_contact ? PG_GETARG_TIMESTAMPTZ(4) : DT_NOEND;
  if (TIMESTAMP_NOT_FINITE(ordered_at) || (has_contact && TIMESTAMP_NOT_FINITE(contact)))
    throw loyalty::pg::SqlStateError(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
                                     "order_kpis: order and first contact times must be finite");
  if (!std::isfinite(amount)) throw std::invalid_argument("order_kpis: amount must be a finite number");

  const int32 day = loyalty::pg::zone_local_day(zone, ordered_at);
  if (state == nullptr) state = new_state(context, 8, zone->zone_key);
  bool inserted;
  KpiCustomer* c = find_or_insert(state, context, customer, &inserted);
  loyalty::pg::day_list_add(&c->days, context, day);
  if (ordered_at < c->first_order) c->first_order = ordered_at;
  if (contact < c->first_contact) c->first_contact = contact;
  ++state->orders;
  state->revenue += amount;
  PG_RETURN_POINTER(state);
}

// Adds `from`'s customers and totals into `into` (memory from `context`).
void merge_into(KpiState* into, MemoryContext context, KpiState* from) {
  if (into->zone_key != from->zone_key) zones_differ();
  into->orders += from->orders;
  into->revenue += from->revenue;
  const int64 slots = from->mask + 1;
  for (int64 i = 0; i < slots; ++i) {
    if ((i & 0xffff) == 0) loyalty::pg::check_for_interrupts();
    KpiCustomer* f = &from->slots[i];
    if (f->days.count == 0) continue;
    bool inserted;
    KpiCustomer* c = find_or_insert(into, context, f->customer, &inserted);
    if (inserted) {
      loyalty::pg::day_list_normalize(&f->days);  // the same set, compacted
      loyalty::pg::day_list_assign(&c->days, context, loyalty::pg::day_list_data(&f->days), f->days.count);
    } else {
      loyalty::pg::day_list_merge(&c->days, context, &f->days);
    }
    if (f->first_order < c->first_order) c->first_order = f->first_order;
    if (f->first_contact < c->first_contact) c->first_contact = f->first_contact;
  }
}

// ---- serialisation --------------------------------------------------------------------------------------

// Written with memcpy, no padding: the header, then per customer the id, first order, first contact, day
// count and the days in increasing order.
struct SerializedHeader {
  uint32 magic;
  uint32 zone_key;
  int64 orders;
  double revenue;
  int64 customers;
  int64 days;
};
constexpr Size kCustomerBytes = 3 * sizeof(int64) + sizeof(int32);

[[noreturn]] void invalid_state(const char* why) {
  throw std::invalid_argument(std::string("invalid order_kpis state: ") + why);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_accum) {
  return kpi_accum(fcinfo, false, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_contact_accum) {
  return kpi_accum(fcinfo, true, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_zone_accum) {
  return kpi_accum(fcinfo, false, 4);
}

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_contact_zone_accum) {
  return kpi_accum(fcinfo, true, 5);
}

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_combine) {
  MemoryContext context = aggregate_context(fcinfo, "order_kpis_combine");
  auto* into = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<KpiState*>(PG_GETARG_POINTER(0));
  auto* from = PG_ARGISNULL(1) ? nullptr : reinterpret_cast<KpiState*>(PG_GETARG_POINTER(1));
  if (from == nullptr) {
    if (into == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(into);
  }
  if (into == nullptr) {  // a copy in the aggregate's context: `from` may live in a shorter one
    int64 slots = 8;
    while (4 * from->customers > 3 * slots) slots *= 2;
    into = new_state(context, slots, from->zone_key);
  }
  merge_into(into, context, from);
  PG_RETURN_POINTER(into);
}

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_serialize) {
  aggregate_context(fcinfo, "order_kpis_serialize");
  auto* state = reinterpret_cast<KpiState*>(PG_GETARG_POINTER(0));
  const int64 slots = state->mask + 1;
  int64 days = 0;
  for (int64 i = 0; i < slots; ++i) {
    if (state->slots[i].days.count == 0) continue;
    loyalty::pg::day_list_normalize(&state->slots[i].days);  // the same set, compacted
    days += state->slots[i].days.count;
  }
  const Size size = VARHDRSZ + sizeof(SerializedHeader) +
                    kCustomerBytes * static_cast<Size>(state->customers) +
                    sizeof(int32) * static_cast<Size>(days);
  if (size > MaxAllocSize)
    throw std::length_error("order_kpis: a partial state of " + std::to_string(state->customers) +
                            " customers is too large to pass between parallel workers (over 1 GB); run the "
                            "query without parallel workers or group it further");
  auto* result = static_cast<bytea*>(loyalty::pg::allocate(CurrentMemoryContext, size));
  SET_VARSIZE(result, size);
  char* p = VARDATA(result);
  SerializedHeader h{kStateMagic, state->zone_key, state->orders, state->revenue, state->customers, days};
  memcpy(p, &h, sizeof h);
  p += sizeof h;
  for (int64 i = 0; i < slots; ++i) {
    KpiCustomer& c = state->slots[i];
    if (c.days.count == 0) continue;
    memcpy(p, &c.customer, sizeof(int64));
    memcpy(p + 8, &c.first_order, sizeof(int64));
    memcpy(p + 16, &c.first_contact, sizeof(int64));
    memcpy(p + 24, &c.days.count, sizeof(int32));
    p += kCustomerBytes;
    memcpy(p, loyalty::pg::day_list_data(&c.days), sizeof(int32) * c.days.count);
    p += sizeof(int32) * c.days.count;
  }
  PG_RETURN_BYTEA_P(result);
}

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_deserialize) {
  aggregate_context(fcinfo, "order_kpis_deserialize");
  // Into the current (per-tuple) context: the combine function copies what it keeps.
  MemoryContext context = CurrentMemoryContext;
  const bytea* bytes = loyalty::pg::postgres_guard([&] { return PG_GETARG_BYTEA_PP(0); });
  const Size size = VARSIZE_ANY_EXHDR(bytes);
  const char* p = VARDATA_ANY(bytes);
  const char* end = p + size;
  SerializedHeader h;
  if (size < sizeof h) invalid_state("too short");
  memcpy(&h, p, sizeof h);
  p += sizeof h;
  if (h.magic != kStateMagic) invalid_state("unknown format");
  if (h.customers < 0 || h.customers > kMaxCustomers || h.days < h.customers || h.orders < h.days ||
      !std::isfinite(h.revenue))
    invalid_state("inconsistent totals");
  if (static_cast<Size>(end - p) !=
      kCustomerBytes * static_cast<Size>(h.customers) + sizeof(int32) * static_cast<Size>(h.days))
    invalid_state("length does not match its counts");
  int64 slots = 8;
  while (4 * h.customers > 3 * slots) slots *= 2;
  KpiState* state = new_state(context, slots, h.zone_key);
  state->orders = h.orders;
  state->revenue = h.revenue;
  int64 days_seen = 0;
  for (int64 i = 0; i < h.customers; ++i) {
    if ((i & 0xffff) == 0) loyalty::pg::check_for_interrupts();
    int64 customer, first_order, first_contact;
    int32 count;
    if (static_cast<Size>(end - p) < kCustomerBytes) invalid_state("truncated");
    memcpy(&customer, p, sizeof(int64));
    memcpy(&first_order, p + 8, sizeof(int64));
    memcpy(&first_contact, p + 16, sizeof(int64));
    memcpy(&count, p + 24, sizeof(int32));
    p += kCustomerBytes;
    if (count < 1 || count > loyalty::pg::kMaxListDays || count > h.days - days_seen)
      invalid_state("bad day count");
    if (TIMESTAMP_NOT_FINITE(first_order) ||
        (first_contact != DT_NOEND && TIMESTAMP_NOT_FINITE(first_contact)))
      invalid_state("times not finite");
    bool inserted;
    KpiCustomer* c = find_or_insert(state, context, customer, &inserted);
    if (!inserted) invalid_state("a customer listed twice");
    int32 previous = 0;
    for (int32 k = 0; k < count; ++k) {
      int32 day;
      memcpy(&day, p + sizeof(int32) * k, sizeof(int32));
      if (k > 0 && day <= previous) invalid_state("days out of order");
      previous = day;
    }
    loyalty::pg::day_list_init(&c->days);
    if (count <= DayList::kInline) {
      memcpy(c->days.inline_days, p, sizeof(int32) * count);
      c->days.count = c->days.sorted = count;
      c->days.last_added = c->days.inline_days[count - 1];
    } else {
      auto* chunk = static_cast<int32*>(loyalty::pg::allocate(context, sizeof(int32) * count, true));
      memcpy(chunk, p, sizeof(int32) * count);
      c->days.heap = chunk;
      c->days.capacity = c->days.count = c->days.sorted = count;
      c->days.last_added = chunk[count - 1];
    }
    p += sizeof(int32) * count;
    days_seen += count;
    c->first_order = first_order;
    c->first_contact = first_contact;
  }
  if (days_seen != h.days || p != end) invalid_state("length does not match its counts");
  PG_RETURN_POINTER(state);
}

LOYALTY_SQL_FUNCTION(loyalty_order_kpis_final) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  auto* state = reinterpret_cast<KpiState*>(PG_GETARG_POINTER(0));
  loyalty::OrderKpiTotals totals;
  totals.orders = state->orders;
  totals.revenue = state->revenue;
  const int64 slots = state->mask + 1;
  for (int64 i = 0; i < slots; ++i) {
    if ((i & 0xffff) == 0) loyalty::pg::check_for_interrupts();
    KpiCustomer* c = &state->slots[i];
    if (c->days.count == 0) continue;
    // Normalising leaves the set of days as it was, so the state still means the same (it may be shared
    // with another aggregate call over the same inputs).
    loyalty::pg::day_list_normalize(&c->days);
    const int32* days = loyalty::pg::day_list_data(&c->days);
    const bool has_contact = c->first_contact != DT_NOEND;
    loyalty::add_customer(totals, days[0], days[c->days.count - 1], c->days.count, has_contact,
                          has_contact ? c->first_order - c->first_contact : 0);
  }
  const loyalty::OrderKpis k = loyalty::order_kpis(totals);
  TupleDesc tupdesc = loyalty::pg::guarded_result_descriptor(fcinfo, kResultFields, "order_kpis_result");
  const double ratios[] = {k.aov, k.arpu, k.orders_per_customer};
  Datum values[kResultFields] = {
      Int64GetDatum(k.customers),         Int64GetDatum(k.orders),
      Float8GetDatum(k.revenue),          Float8GetDatum(ratios[0]),
      Float8GetDatum(ratios[1]),          Float8GetDatum(ratios[2]),
      Int64GetDatum(k.repeat_customers),  Float8GetDatum(k.repeat_purchase_rate),
      Int64GetDatum(k.purchase_days),     Float8GetDatum(k.mean_days_between_purchases),
      Int64GetDatum(k.contact_customers), Float8GetDatum(k.mean_days_to_first_purchase)};
  bool nulls[kResultFields] = {};
  nulls[9] = std::isnan(k.mean_days_between_purchases);
  nulls[11] = std::isnan(k.mean_days_to_first_purchase);
  return loyalty::pg::guarded_tuple(tupdesc, values, nulls);
}
