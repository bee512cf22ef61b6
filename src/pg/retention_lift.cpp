// SQL binding of retention_lift(treated, retained) (src/core/retention_lift.hpp).
//
// State: float8[] [treated, treated_retained, control, control_retained] (src/core/counter_state.hpp).
// Transition and inverse functions are STRICT, so rows with a NULL never reach them.
#include <cmath>

#include "counter_state.hpp"
#include "retention_lift.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"

namespace {

constexpr int kCounters = loyalty::kLiftCounters;

Datum lift_step(FunctionCallInfo fcinfo, double sign) {
  ArrayType* array;
  double* values =
      loyalty::pg::counter_array_transition_arg(fcinfo, kCounters, kCounters, "retention_lift", &array);
  const bool treated = PG_GETARG_BOOL(1), retained = PG_GETARG_BOOL(2);
  const int group = treated ? loyalty::kLiftTreated : loyalty::kLiftControl;
  values[group] += sign;
  if (retained) values[group + 1] += sign;  // kLift*Retained follows its group's counter
  PG_RETURN_POINTER(array);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_retention_lift_accum);
Datum loyalty_retention_lift_accum(PG_FUNCTION_ARGS) {
  return lift_step(fcinfo, +1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_lift_retract);
Datum loyalty_retention_lift_retract(PG_FUNCTION_ARGS) {
  return lift_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(loyalty_retention_lift_combine);
Datum loyalty_retention_lift_combine(PG_FUNCTION_ARGS) {
  ArrayType* into;
  double* a = loyalty::pg::counter_array_arg(fcinfo, 0, kCounters, kCounters, "retention_lift", &into);
  const double* b =
      loyalty::pg::counter_array_arg(fcinfo, 1, kCounters, kCounters, "retention_lift", nullptr);
  return loyalty::pg::cpp_boundary([&] {
    loyalty::counter_state_combine(a, b, kCounters, 0, "");
    return PointerGetDatum(into);
  });
}

// The retention_lift_result composite; NULL without customers. Figures that cannot be computed are NULL.
PG_FUNCTION_INFO_V1(loyalty_retention_lift_final);
Datum loyalty_retention_lift_final(PG_FUNCTION_ARGS) {
  const double* v =
      loyalty::pg::counter_array_arg(fcinfo, 0, kCounters, kCounters, "retention_lift", nullptr);
  loyalty::RetentionLiftCounts counts;
  counts.treated = v[loyalty::kLiftTreated];
  counts.treated_retained = v[loyalty::kLiftTreatedRetained];
  counts.control = v[loyalty::kLiftControl];
  counts.control_retained = v[loyalty::kLiftControlRetained];
  if (counts.treated + counts.control == 0) PG_RETURN_NULL();
  TupleDesc tupdesc;
  if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != 12)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("retention_lift must return a composite of 12 fields")));
  tupdesc = BlessTupleDesc(tupdesc);
  loyalty::RetentionLift lift;
  loyalty::pg::cpp_boundary([&] {
    lift = loyalty::retention_lift(counts);
    return Datum(0);
  });
  const double rates[8] = {
      lift.treated_rate,      lift.control_rate,       lift.absolute_lift, lift.relative_lift,
      lift.difference_ci_low, lift.difference_ci_high, lift.z_score,       lift.p_value};
  Datum fields[12] = {Int64GetDatum(static_cast<int64>(counts.treated)),
                      Int64GetDatum(static_cast<int64>(counts.treated_retained)),
                      Float8GetDatum(rates[0]),
                      Int64GetDatum(static_cast<int64>(counts.control)),
                      Int64GetDatum(static_cast<int64>(counts.control_retained)),
                      Float8GetDatum(rates[1])};
  bool nulls[12] = {false, false, std::isnan(rates[0]), false, false, std::isnan(rates[1])};
  for (int i = 2; i < 8; ++i) {
    fields[4 + i] = Float8GetDatum(rates[i]);
    nulls[4 + i] = std::isnan(rates[i]);
  }
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, fields, nulls)));
}

}  // extern "C"
