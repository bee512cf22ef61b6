// SQL binding of the cohort building blocks (src/core/cohorts.hpp): cohort_period, as a window function over
// a customer's events and as a scalar, and the cohort_retention aggregate (the cohort x period matrix).
//
// cohort_retention state: float8[] [cohort_size, retained_0, last_0, retained_1, last_1, ...], as long as the
// last period seen needs (grown by doubling, so possibly longer; trailing zero periods mean nothing).
//
// The window form reads its partition once, on the partition's first row, in one guarded sweep (the
// partition's events into a per-call-site buffer, and the unit when it is a constant); every row then reads
// that buffer with no PostgreSQL call that can raise. Only a unit that varies by row is read row by row
// (guarded). The aggregate's transition reads the periods array in place: no PostgreSQL call per row.
//
// Calendar dates: in the session's TimeZone (as date_trunc sees it), or in the zone given to the scalar
// form's `zone` overload, as (ts AT TIME ZONE zone)::date, through the binding's zone/day helper
// (zone_day.hpp). The window form has no zone overload: cohort_period(timestamptz, text, text) would capture
// every call of the scalar form whose event time is an untyped literal (PostgreSQL prefers the string
// category for an unknown argument); with a zone, the scalar form over the partition's first event does the
// window form's work.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "cohorts.hpp"

#include "arguments.hpp"
#include "boundary.hpp"
#include "float8_state.hpp"
#include "memory.hpp"
#include "result_tuple.hpp"
#include "zone_day.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "windowapi.h"
}
#pragma GCC diagnostic pop

namespace {

using loyalty::pg::Float8State;
using loyalty::pg::postgres_guard;
using loyalty::pg::SqlStateError;

struct LocalDate {
  int year, month, day;
};

// The calendar date of t in the zone (zone_day.hpp), as date_trunc sees it in that zone.
LocalDate local_date(loyalty::pg::ZoneDays* zone, TimestampTz t) {
  if (TIMESTAMP_NOT_FINITE(t)) {
    const std::string text = postgres_guard([&] { return timestamptz_to_str(t); });
    throw SqlStateError(
        ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
        loyalty::pg::formatted("cohort_period needs finite timestamps, got %s", text.c_str()));
  }
  LocalDate d;
  j2date(loyalty::pg::zone_local_day(zone, t) + POSTGRES_EPOCH_JDATE, &d.year, &d.month, &d.day);
  return d;
}

// ---- the window form
// ----------------------------------------------------------------------------------------

// The unit text last seen at a call site, and its parsed value once a row needed it (parsed after the dates,
// so that errors come in the order the scalar form gives them).
struct UnitCache {
  char* text;  // in fn_mcxt
  int length;  // -1: none yet
  int capacity;
  bool parsed;
  loyalty::CohortUnit unit;
};

// Per call site (fn_extra): the unit, the session zone's day cache, and the events of the partition being
// read (filled on its first row).
struct WindowCache {
  UnitCache unit;
  loyalty::pg::ZoneDays zone;
  bool unit_is_stable;  // a constant or parameter: read once per partition
  int64 capacity;
  TimestampTz* events;
  bool* present;  // the event is not NULL
};

// Partition local memory.
struct PartitionScan {
  bool scanned;
  bool found;      // a non-NULL event
  bool unit_null;  // a stable unit that is NULL
  TimestampTz first;
  int64 rows;
};

WindowCache* window_cache(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<WindowCache*>(fcinfo->flinfo->fn_extra);
  if (cache != nullptr) return cache;
  cache = static_cast<WindowCache*>(
      loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(WindowCache), false, true));
  cache->unit.length = -1;
  loyalty::pg::zone_days_init(&cache->zone);
  FmgrInfo* flinfo = fcinfo->flinfo;
  cache->unit_is_stable = postgres_guard([&] { return get_fn_expr_arg_stable(flinfo, 1); });
  fcinfo->flinfo->fn_extra = cache;
  return cache;
}

// Keeps `text` as the call site's unit (a copy in fn_mcxt) unless it is the one already kept.
void remember_unit(FunctionCallInfo fcinfo, UnitCache* unit, const char* text, int length) {
  if (length == unit->length && memcmp(text, unit->text, length) == 0) return;
  if (length > unit->capacity) {
    char* larger = static_cast<char*>(loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, length));
    if (unit->text != nullptr) pfree(unit->text);
    unit->text = larger;
    unit->capacity = length;
  }
  memcpy(unit->text, text, length);
  unit->length = length;
  unit->parsed = false;
}

loyalty::CohortUnit parsed_unit(UnitCache* unit) {
  if (!unit->parsed) {
    unit->unit = loyalty::parse_cohort_unit(std::string(unit->text, unit->length));
    unit->parsed = true;
  }
  return unit->unit;
}

// Reads the partition's events (and a stable unit) into the cache: one guarded sweep.
void scan_partition(FunctionCallInfo fcinfo, WindowObject window, WindowCache* cache, PartitionScan* scan) {
  const int64 rows = scan->rows;
  if (rows > cache->capacity) {
    auto* events = static_cast<TimestampTz*>(
        loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(TimestampTz) * rows, true));
    auto* present =
        static_cast<bool*>(loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(bool) * rows, true));
    if (cache->events != nullptr) pfree(cache->events);
    if (cache->present != nullptr) pfree(cache->present);
    cache->events = events;
    cache->present = present;
    cache->capacity = rows;
  }
  if (cache->unit_is_stable) {
    const varlena* unit = postgres_guard([&]() -> varlena* {
      bool isnull;
      const Datum d = WinGetFuncArgCurrent(window, 1, &isnull);
      return isnull ? nullptr : PG_DETOAST_DATUM_PACKED(d);
    });
    scan->unit_null = unit == nullptr;
    if (unit != nullptr) remember_unit(fcinfo, &cache->unit, VARDATA_ANY(unit), VARSIZE_ANY_EXHDR(unit));
  }
  TimestampTz* events = cache->events;
  bool* present = cache->present;
  postgres_guard([&] {
    for (int64 position = 0; position < rows; ++position) {
      bool isnull, isout;
      const Datum d = WinGetFuncArgInPartition(window, 0, static_cast<int>(position), WINDOW_SEEK_HEAD, false,
                                               &isnull, &isout);
      present[position] = !isnull && !isout;
      events[position] = present[position] ? DatumGetTimestampTz(d) : 0;
      if (present[position] && (!scan->found || events[position] < scan->first)) {
        scan->first = events[position];
        scan->found = true;
      }
      if (position % 10000 == 0) CHECK_FOR_INTERRUPTS();
    }
  });
  scan->scanned = true;
}

}  // namespace

// cohort_period(event_ts, unit) OVER (PARTITION BY customer): calendar periods since the partition's first
// event.
LOYALTY_SQL_FUNCTION(loyalty_cohort_period_window) {
  WindowObject window = PG_WINDOW_OBJECT();
  WindowCache* cache = window_cache(fcinfo);
  const int64 position = WinGetCurrentPosition(window);
  PartitionScan* scan;
  if (position == 0) {  // the partition's first row: its local memory is allocated here
    scan = postgres_guard([&] {
      auto* s = static_cast<PartitionScan*>(WinGetPartitionLocalMemory(window, sizeof(PartitionScan)));
      if (!s->scanned) s->rows = WinGetPartitionRowCount(window);
      return s;
    });
  } else {
    // no-raise: rows are evaluated in order, so row 0 allocated it and this only returns it
    scan = static_cast<PartitionScan*>(WinGetPartitionLocalMemory(window, sizeof(PartitionScan)));
  }
  if (!scan->scanned) {
    if (position != 0)
      throw SqlStateError(ERRCODE_INTERNAL_ERROR, "cohort_period: a partition began after its first row");
    scan_partition(fcinfo, window, cache, scan);
  }
  if (!cache->present[position]) PG_RETURN_NULL();
  if (cache->unit_is_stable) {
    if (scan->unit_null) PG_RETURN_NULL();
  } else {  // a unit that varies by row: read row by row
    const varlena* unit = postgres_guard([&]() -> varlena* {
      bool isnull;
      const Datum d = WinGetFuncArgCurrent(window, 1, &isnull);
      return isnull ? nullptr : PG_DETOAST_DATUM_PACKED(d);
    });
    if (unit == nullptr) PG_RETURN_NULL();
    remember_unit(fcinfo, &cache->unit, VARDATA_ANY(unit), VARSIZE_ANY_EXHDR(unit));
  }
  const LocalDate first = local_date(&cache->zone, scan->first),
                  event = local_date(&cache->zone, cache->events[position]);
  const loyalty::CohortUnit unit = parsed_unit(&cache->unit);
  return Int32GetDatum(static_cast<int32>(loyalty::calendar_period_offset(
      first.year, first.month, first.day, event.year, event.month, event.day, unit)));
}

// cohort_period(cohort_start, event_ts, unit [, zone]): calendar periods from cohort_start to event_ts.
LOYALTY_SQL_FUNCTION(loyalty_cohort_period) {
  const TimestampTz first = PG_GETARG_TIMESTAMPTZ(0), event = PG_GETARG_TIMESTAMPTZ(1);
  const varlena* unit_text = loyalty::pg::packed_argument(fcinfo, 2);
  loyalty::pg::ZoneDays* zone =
      loyalty::pg::zone_days(fcinfo, PG_NARGS() > 3 ? 3 : -1, "cohort_period");  // STRICT: not NULL
  const LocalDate a = local_date(zone, first), b = local_date(zone, event);
  const loyalty::CohortUnit unit =
      loyalty::parse_cohort_unit(std::string(VARDATA_ANY(unit_text), VARSIZE_ANY_EXHDR(unit_text)));
  return Int32GetDatum(static_cast<int32>(
      loyalty::calendar_period_offset(a.year, a.month, a.day, b.year, b.month, b.day, unit)));
}

// ---- cohort_retention
// -----------------------------------------------------------------------------------------

namespace {

const loyalty::pg::Float8StateShape kStateShape{
    "cohort_retention", 1,    static_cast<int>(loyalty::cohort_state_length(loyalty::kMaxCohortPeriod)), 2,
    "odd length",       false};

// A cohort_retention state argument. In an aggregate the transition function trusts the aggregate's own state
// (shape only); everything else is checked in full.
Float8State cohort_state_arg(FunctionCallInfo fcinfo, int argno, bool shape_only, bool writable) {
  const Float8State state = loyalty::pg::float8_state_arg(fcinfo, argno, kStateShape, writable);
  if (!(shape_only && AggCheckCallContext(fcinfo, nullptr)) &&
      !loyalty::cohort_state_is_valid(state.values, state.length))
    loyalty::pg::invalid_float8_state(
        "cohort_retention", "counters must be non-negative whole numbers that agree with one another");
  return state;
}

// The non-NULL elements of an int4 array (any number of dimensions, as deconstruct_array reads it), into a
// new array with room for one more; read in place: no PostgreSQL call.
int* present_periods(ArrayType* array, size_t* count_out) {
  if (ARR_ELEMTYPE(array) != INT4OID)
    throw SqlStateError(ERRCODE_DATATYPE_MISMATCH, "cohort_retention: the periods must be an integer array");
  size_t elements = ARR_NDIM(array) > 0 ? 1 : 0;
  for (int d = 0; d < ARR_NDIM(array); ++d) elements *= static_cast<size_t>(ARR_DIMS(array)[d]);
  int* periods = loyalty::pg::allocate_array<int>(elements + 1);
  const int32* data = reinterpret_cast<const int32*>(ARR_DATA_PTR(array));
  const bits8* nulls = ARR_NULLBITMAP(array);
  size_t present = 0;
  for (size_t i = 0; i < elements; ++i) {
    if (nulls != nullptr && (nulls[i / 8] & (1 << (i % 8))) == 0) continue;  // NULL: not stored
    periods[present++] = *data++;
  }
  *count_out = present;
  return periods;
}

}  // namespace

// Adds one customer (the array of the periods she was active in) to a cohort_retention state.
LOYALTY_SQL_FUNCTION(loyalty_cohort_retention_accum) {
  Float8State state = cohort_state_arg(fcinfo, 0, true, true);
  size_t present;
  int* periods = present_periods(loyalty::pg::array_argument(fcinfo, 1), &present);
  const size_t distinct = loyalty::normalize_customer_periods(periods, present);
  const size_t needed = distinct > 0 ? loyalty::cohort_state_length(periods[distinct - 1]) : 1;
  if (needed > static_cast<size_t>(state.length)) {
    // Doubling keeps the copies few when customers arrive in order of growing tenure.
    const int doubled = std::min(loyalty::kMaxCohortPeriod, 2 * ((state.length - 1) / 2));
    const int grown = static_cast<int>(std::max(needed, loyalty::cohort_state_length(doubled)));
    ArrayType* larger = loyalty::pg::float8_state_zeroed(CurrentMemoryContext, grown);
    std::copy(state.values, state.values + state.length, reinterpret_cast<double*>(ARR_DATA_PTR(larger)));
    state.array = larger;
    state.values = reinterpret_cast<double*>(ARR_DATA_PTR(larger));
    state.length = grown;
  }
  loyalty::cohort_add_customer(state.values, state.length, periods, distinct);
  pfree(periods);
  return PointerGetDatum(state.array);
}

// Merges two partial cohort_retention states (the shorter is padded with zeros).
LOYALTY_SQL_FUNCTION(loyalty_cohort_retention_combine) {
  Float8State a = cohort_state_arg(fcinfo, 0, false, true);
  const Float8State b = cohort_state_arg(fcinfo, 1, false, false);
  if (b.length > a.length) {  // the result is a copy of the longer one (argument 1 is never written into)
    ArrayType* copy = loyalty::pg::float8_state_zeroed(CurrentMemoryContext, b.length);
    std::copy(b.values, b.values + b.length, reinterpret_cast<double*>(ARR_DATA_PTR(copy)));
    loyalty::cohort_combine(reinterpret_cast<double*>(ARR_DATA_PTR(copy)), b.length, a.values, a.length);
    return PointerGetDatum(copy);
  }
  loyalty::cohort_combine(a.values, a.length, b.values, b.length);
  return PointerGetDatum(a.array);
}

// The cohort_retention_cell array of a state: periods 0 to the last one reached; NULL without customers.
LOYALTY_SQL_FUNCTION(loyalty_cohort_retention_final) {
  const Float8State state = cohort_state_arg(fcinfo, 0, false, false);
  if (state.values[0] == 0) PG_RETURN_NULL();
  const std::vector<loyalty::CohortCell> cells = loyalty::cohort_cells(state.values, state.length);
  const loyalty::pg::ResultType& type = loyalty::pg::result_type(
      fcinfo, {-1, ERRCODE_DATATYPE_MISMATCH, "cohort_retention must return a composite array", true});
  const int count = static_cast<int>(cells.size());
  if (count > 0 && type.desc->natts != 6)
    throw SqlStateError(ERRCODE_DATATYPE_MISMATCH, "cohort_retention_cell must have 6 fields");
  Datum* elements = loyalty::pg::allocate_array<Datum>(count);
  for (int k = 0; k < count; ++k) {
    const loyalty::CohortCell& c = cells[k];
    const Datum fields[6] = {Int32GetDatum(c.period),
                             Int64GetDatum(static_cast<int64>(c.cohort_size)),
                             Int64GetDatum(static_cast<int64>(c.retained)),
                             Float8GetDatum(c.retained / c.cohort_size),
                             Int64GetDatum(static_cast<int64>(c.retained_or_later)),
                             Float8GetDatum(c.retained_or_later / c.cohort_size)};
    const bool nulls[6] = {false, false, false, false, false, false};
    elements[k] = loyalty::pg::form_result_tuple(type.desc, fields, nulls);
  }
  return loyalty::pg::form_result_array(type, elements, count);
}
