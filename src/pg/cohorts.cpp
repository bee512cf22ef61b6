// SQL binding of the cohort building blocks (src/core/cohorts.hpp): cohort_period, as a window function over
// a customer's events and as a scalar, and the cohort_retention aggregate (the cohort x period matrix).
//
// cohort_retention state: float8[] [cohort_size, retained_0, last_0, retained_1, last_1, ...], as long as the
// last period seen needs (grown by doubling, so possibly longer; trailing zero periods mean nothing).
#include <algorithm>
#include <string>
#include <vector>

#include "cohorts.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "windowapi.h"
}
#pragma GCC diagnostic pop

namespace {

struct LocalDate {
  int year, month, day;
};

// The calendar date of t in the session's time zone (as date_trunc sees it).
LocalDate local_date(TimestampTz t) {
  struct pg_tm tm;
  fsec_t fsec;
  int tz;
  if (TIMESTAMP_NOT_FINITE(t) || timestamp2tm(t, &tz, &tm, &fsec, nullptr, nullptr) != 0)
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("cohort_period needs finite timestamps, got %s", timestamptz_to_str(t))));
  return {tm.tm_year, tm.tm_mon, tm.tm_mday};
}

int32 period_offset(TimestampTz first, TimestampTz event, text* unit_text) {
  const LocalDate a = local_date(first), b = local_date(event);
  const char* unit_name = text_to_cstring(unit_text);
  int64 offset = 0;
  loyalty::pg::cpp_boundary([&] {
    const loyalty::CohortUnit unit = loyalty::parse_cohort_unit(unit_name);
    offset = loyalty::calendar_period_offset(a.year, a.month, a.day, b.year, b.month, b.day, unit);
    return Datum(0);
  });
  return static_cast<int32>(offset);  // PostgreSQL's dates span fewer than 2^31 days
}

// The earliest non-NULL event of the current partition, found once per partition.
struct PartitionFirst {
  bool scanned;
  bool found;
  TimestampTz first;
};

void invalid_state(const char* detail) {
  ereport(ERROR,
          (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid cohort_retention state: %s", detail)));
}

// A cohort_retention state argument. In an aggregate the transition function trusts the aggregate's own state
// (shape only); everything else is checked in full.
double* cohort_state_arg(FunctionCallInfo fcinfo, int argno, bool shape_only, int* length_out,
                         ArrayType** array_out) {
  const bool in_aggregate = AggCheckCallContext(fcinfo, nullptr);
  ArrayType* array = in_aggregate ? PG_GETARG_ARRAYTYPE_P(argno) : PG_GETARG_ARRAYTYPE_P_COPY(argno);
  const int n = ARR_NDIM(array) == 1 ? ARR_DIMS(array)[0] : 0;
  if (ARR_NDIM(array) != 1 || ARR_HASNULL(array) || ARR_ELEMTYPE(array) != FLOAT8OID || n % 2 != 1 ||
      static_cast<size_t>(n) > loyalty::cohort_state_length(loyalty::kMaxCohortPeriod))
    invalid_state("expected a float8 array of odd length without NULLs");
  double* values = reinterpret_cast<double*>(ARR_DATA_PTR(array));
  if (!(shape_only && in_aggregate) && !loyalty::cohort_state_is_valid(values, n))
    invalid_state("counters must be non-negative whole numbers that agree with one another");
  *length_out = n;
  *array_out = array;
  return values;
}

}  // namespace

extern "C" {

// cohort_period(event_ts, unit) OVER (PARTITION BY customer): calendar periods since the partition's first
// event.
PG_FUNCTION_INFO_V1(loyalty_cohort_period_window);
Datum loyalty_cohort_period_window(PG_FUNCTION_ARGS) {
  WindowObject window = PG_WINDOW_OBJECT();
  auto* partition = static_cast<PartitionFirst*>(WinGetPartitionLocalMemory(window, sizeof(PartitionFirst)));
  if (!partition->scanned) {
    for (int64 position = 0;; ++position) {
      bool isnull, isout;
      const Datum d = WinGetFuncArgInPartition(window, 0, position, WINDOW_SEEK_HEAD, false, &isnull, &isout);
      if (isout) break;
      if (!isnull && (!partition->found || DatumGetTimestampTz(d) < partition->first)) {
        partition->first = DatumGetTimestampTz(d);
        partition->found = true;
      }
      if (position % 10000 == 0) CHECK_FOR_INTERRUPTS();
    }
    partition->scanned = true;
  }
  bool event_null, unit_null;
  const Datum event = WinGetFuncArgCurrent(window, 0, &event_null);
  const Datum unit = WinGetFuncArgCurrent(window, 1, &unit_null);
  if (event_null || unit_null) PG_RETURN_NULL();
  PG_RETURN_INT32(period_offset(partition->first, DatumGetTimestampTz(event), DatumGetTextPP(unit)));
}

// cohort_period(cohort_start, event_ts, unit): calendar periods from cohort_start to event_ts.
PG_FUNCTION_INFO_V1(loyalty_cohort_period);
Datum loyalty_cohort_period(PG_FUNCTION_ARGS) {
  PG_RETURN_INT32(period_offset(PG_GETARG_TIMESTAMPTZ(0), PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TEXT_PP(2)));
}

// Adds one customer (the array of the periods she was active in) to a cohort_retention state.
PG_FUNCTION_INFO_V1(loyalty_cohort_retention_accum);
Datum loyalty_cohort_retention_accum(PG_FUNCTION_ARGS) {
  int length;
  ArrayType* array;
  double* state = cohort_state_arg(fcinfo, 0, true, &length, &array);
  ArrayType* periods_array = PG_GETARG_ARRAYTYPE_P(1);
  Datum* elements;
  bool* nulls;
  int count;
  deconstruct_array(periods_array, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elements, &nulls, &count);
  int* periods = static_cast<int*>(palloc(sizeof(int) * (count + 1)));
  size_t present = 0;
  for (int i = 0; i < count; ++i)
    if (!nulls[i]) periods[present++] = DatumGetInt32(elements[i]);
  size_t distinct = 0;
  loyalty::pg::cpp_boundary([&] {
    distinct = loyalty::normalize_customer_periods(periods, present);
    return Datum(0);
  });
  const size_t needed = distinct > 0 ? loyalty::cohort_state_length(periods[distinct - 1]) : 1;
  if (needed > static_cast<size_t>(length)) {
    // Doubling keeps the copies few when customers arrive in order of growing tenure.
    const int doubled = std::min(loyalty::kMaxCohortPeriod, 2 * ((length - 1) / 2));
    const int grown = static_cast<int>(std::max(needed, loyalty::cohort_state_length(doubled)));
    ArrayType* larger = loyalty::pg::counter_array_zeroed(CurrentMemoryContext, grown);
    std::copy(state, state + length, loyalty::pg::counter_array_values(larger));
    array = larger;
    state = loyalty::pg::counter_array_values(larger);
    length = grown;
  }
  return loyalty::pg::cpp_boundary([&] {
    loyalty::cohort_add_customer(state, length, periods, distinct);
    return PointerGetDatum(array);
  });
}

// Merges two partial cohort_retention states (the shorter is padded with zeros).
PG_FUNCTION_INFO_V1(loyalty_cohort_retention_combine);
Datum loyalty_cohort_retention_combine(PG_FUNCTION_ARGS) {
  int length_a, length_b;
  ArrayType *array_a, *array_b;
  double* a = cohort_state_arg(fcinfo, 0, false, &length_a, &array_a);
  double* b = cohort_state_arg(fcinfo, 1, false, &length_b, &array_b);
  if (length_b > length_a) {  // the result is a copy of the longer one
    std::swap(a, b);
    std::swap(length_a, length_b);
    std::swap(array_a, array_b);
    if (AggCheckCallContext(fcinfo, nullptr)) {  // argument 1 belongs to the caller: never write into it
      ArrayType* copy = loyalty::pg::counter_array_zeroed(CurrentMemoryContext, length_a);
      std::copy(a, a + length_a, loyalty::pg::counter_array_values(copy));
      array_a = copy;
      a = loyalty::pg::counter_array_values(copy);
    }
  }
  return loyalty::pg::cpp_boundary([&] {
    loyalty::cohort_combine(a, length_a, b, length_b);
    return PointerGetDatum(array_a);
  });
}

// The cohort_retention_cell array of a state: periods 0 to the last one reached; NULL without customers.
PG_FUNCTION_INFO_V1(loyalty_cohort_retention_final);
Datum loyalty_cohort_retention_final(PG_FUNCTION_ARGS) {
  int length;
  ArrayType* array;
  const double* state = cohort_state_arg(fcinfo, 0, false, &length, &array);
  if (state[0] == 0) PG_RETURN_NULL();
  auto* cells =
      static_cast<loyalty::CohortCell*>(palloc(sizeof(loyalty::CohortCell) * ((length - 1) / 2 + 1)));
  int count = 0;
  loyalty::pg::cpp_boundary([&] {
    const std::vector<loyalty::CohortCell> all = loyalty::cohort_cells(state, length);
    std::copy(all.begin(), all.end(), cells);
    count = static_cast<int>(all.size());
    return Datum(0);
  });

  const Oid element_type = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
  if (element_type == InvalidOid || !type_is_rowtype(element_type))
    ereport(ERROR,
            (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("cohort_retention must return a composite array")));
  if (count == 0) PG_RETURN_ARRAYTYPE_P(construct_empty_array(element_type));
  TupleDesc tupdesc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(element_type, -1));
  if (tupdesc->natts != 6)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("cohort_retention_cell must have 6 fields")));
  Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * count));
  for (int k = 0; k < count; ++k) {
    const loyalty::CohortCell& c = cells[k];
    Datum fields[6] = {Int32GetDatum(c.period),
                       Int64GetDatum(static_cast<int64>(c.cohort_size)),
                       Int64GetDatum(static_cast<int64>(c.retained)),
                       Float8GetDatum(c.retained / c.cohort_size),
                       Int64GetDatum(static_cast<int64>(c.retained_or_later)),
                       Float8GetDatum(c.retained_or_later / c.cohort_size)};
    bool nulls[6] = {false, false, false, false, false, false};
    elements[k] = HeapTupleGetDatum(heap_form_tuple(tupdesc, fields, nulls));
  }
  int16 typlen;
  bool typbyval;
  char typalign;
  get_typlenbyvalalign(element_type, &typlen, &typbyval, &typalign);
  PG_RETURN_ARRAYTYPE_P(construct_array(elements, count, element_type, typlen, typbyval, typalign));
}

}  // extern "C"
