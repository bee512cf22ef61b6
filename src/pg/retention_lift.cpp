// SQL binding of retention_lift(treated, retained) (src/core/retention_lift.hpp).
//
// State: float8[] [treated, treated_retained, control, control_retained] (src/core/counter_state.hpp).
// Transition and inverse functions are STRICT, so rows with a NULL never reach them. The per-row path makes
// no PostgreSQL call that can raise (float8_state_transition_arg): no guard per row.
#include <cmath>

#include "counter_state.hpp"
#include "retention_lift.hpp"

#include "boundary.hpp"
#include "float8_state.hpp"
#include "result_tuple.hpp"

namespace {

using loyalty::pg::Float8State;

constexpr int kCounters = loyalty::kLiftCounters;
constexpr loyalty::pg::Float8StateShape kShape =
    loyalty::pg::float8_state_of_length("retention_lift", kCounters);

Datum lift_step(FunctionCallInfo fcinfo, double sign) {
  const Float8State state = loyalty::pg::float8_state_transition_arg(fcinfo, kShape, kCounters);
  const bool treated = PG_GETARG_BOOL(1), retained = PG_GETARG_BOOL(2);
  const int group = treated ? loyalty::kLiftTreated : loyalty::kLiftControl;
  if (sign < 0 && (state.values[group] < 1 || (retained && state.values[group + 1] < 1)))  // only by hand
    loyalty::pg::invalid_float8_state("retention_lift", "removing a customer who was never added");
  state.values[group] += sign;
  if (retained) state.values[group + 1] += sign;  // kLift*Retained follows its group's counter
  return PointerGetDatum(state.array);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_retention_lift_accum) {
  return lift_step(fcinfo, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_lift_retract) {
  return lift_step(fcinfo, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_retention_lift_combine) {
  const Float8State into = loyalty::pg::float8_state_counter_arg(fcinfo, 0, kShape, kCounters, true);
  const Float8State from = loyalty::pg::float8_state_counter_arg(fcinfo, 1, kShape, kCounters, false);
  loyalty::counter_state_combine(into.values, from.values, kCounters, 0, "");
  return PointerGetDatum(into.array);
}

// The retention_lift_result composite; NULL without customers. Figures that cannot be computed are NULL.
LOYALTY_SQL_FUNCTION(loyalty_retention_lift_final) {
  const double* v = loyalty::pg::float8_state_counter_arg(fcinfo, 0, kShape, kCounters, false).values;
  loyalty::RetentionLiftCounts counts;
  counts.treated = v[loyalty::kLiftTreated];
  counts.treated_retained = v[loyalty::kLiftTreatedRetained];
  counts.control = v[loyalty::kLiftControl];
  counts.control_retained = v[loyalty::kLiftControlRetained];
  if (counts.treated + counts.control == 0) PG_RETURN_NULL();
  const loyalty::pg::ResultType& type = loyalty::pg::result_type(
      fcinfo, {12, ERRCODE_DATATYPE_MISMATCH, "retention_lift must return a composite of 12 fields", false});
  const loyalty::RetentionLift lift = loyalty::retention_lift(counts);
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
  return loyalty::pg::form_result_tuple(type.desc, fields, nulls);
}
