// SQL binding of the CSAT aggregates: csat(score) on a 1-5 scale and csat(score, scale_max).
//
// State: float8[] [satisfied, respondents, scale_max] (src/core/counter_state.hpp); csat(score) starts with
// scale_max = 5, csat(score, scale_max) with NaN and takes it from the first row. Transition and inverse
// functions are STRICT, so rows with a NULL argument never reach them. The per-row path makes no PostgreSQL
// call that can raise (float8_state_transition_arg): no guard per row.
#include "csat.hpp"

#include <cmath>

#include "counter_state.hpp"

#include "boundary.hpp"
#include "float8_state.hpp"
#include "score_argument.hpp"

namespace {

using loyalty::pg::Float8State;
using loyalty::pg::ScoreWidth;

constexpr int kSatisfied = 0;
constexpr int kRespondents = 1;
constexpr int kScaleMax = 2;
constexpr int kCounters = 2;
constexpr int kLength = 3;
constexpr loyalty::pg::Float8StateShape kShape = loyalty::pg::float8_state_of_length("csat", kLength);

// The CSAT state argument `argno`: a valid counter array whose satisfied count does not exceed its
// respondents and whose scale is unset (NaN) or a valid scale.
Float8State csat_state_arg(FunctionCallInfo fcinfo, int argno, bool writable) {
  const Float8State state = loyalty::pg::float8_state_counter_arg(fcinfo, argno, kShape, kCounters, writable);
  const double* values = state.values;
  if (values[kSatisfied] > values[kRespondents] ||
      !(std::isnan(values[kScaleMax]) ||
        (values[kScaleMax] >= 3 && values[kScaleMax] == std::floor(values[kScaleMax]))))
    loyalty::pg::invalid_float8_state(
        "csat", "satisfied exceeds respondents or the scale is not a whole number >= 3");
  return state;
}

// Adds (sign = +1) or removes (sign = -1) one score of SQL type W. With `scale_argno` >= 0 the scale comes
// from that argument (an integer in every overload).
template <ScoreWidth W>
Datum csat_step(FunctionCallInfo fcinfo, double sign, int scale_argno) {
  const Float8State state = loyalty::pg::float8_state_transition_arg(fcinfo, kShape, kCounters);
  double* values = state.values;
  const int score = loyalty::pg::score_argument<W>(fcinfo, 1, "csat");
  if (scale_argno >= 0) {
    const int32 scale_argument = PG_GETARG_INT32(scale_argno);
    loyalty::validate_csat_scale(scale_argument);
    loyalty::counter_state_set_parameter(&values[kScaleMax], scale_argument, "csat scale maximum");
  }
  const int scale_max = static_cast<int>(values[kScaleMax]);
  const double satisfied = loyalty::csat_is_satisfied(score, scale_max);
  if (sign < 0 && (values[kRespondents] < 1 || values[kSatisfied] < satisfied))  // only by hand
    loyalty::pg::invalid_float8_state("csat", "removing a score that was never added");
  values[kSatisfied] += sign * satisfied;
  values[kRespondents] += sign;
  return PointerGetDatum(state.array);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_csat_accum) {
  return csat_step<ScoreWidth::kInteger>(fcinfo, +1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_accum_int2) {
  return csat_step<ScoreWidth::kSmallint>(fcinfo, +1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_accum_int8) {
  return csat_step<ScoreWidth::kBigint>(fcinfo, +1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_retract) {
  return csat_step<ScoreWidth::kInteger>(fcinfo, -1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_retract_int2) {
  return csat_step<ScoreWidth::kSmallint>(fcinfo, -1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_retract_int8) {
  return csat_step<ScoreWidth::kBigint>(fcinfo, -1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_scale_accum) {
  return csat_step<ScoreWidth::kInteger>(fcinfo, +1, 2);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_scale_accum_int2) {
  return csat_step<ScoreWidth::kSmallint>(fcinfo, +1, 2);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_scale_accum_int8) {
  return csat_step<ScoreWidth::kBigint>(fcinfo, +1, 2);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_scale_retract) {
  return csat_step<ScoreWidth::kInteger>(fcinfo, -1, 2);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_scale_retract_int2) {
  return csat_step<ScoreWidth::kSmallint>(fcinfo, -1, 2);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_scale_retract_int8) {
  return csat_step<ScoreWidth::kBigint>(fcinfo, -1, 2);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_combine) {
  const Float8State into = csat_state_arg(fcinfo, 0, true);
  const Float8State from = csat_state_arg(fcinfo, 1, false);
  loyalty::counter_state_combine(into.values, from.values, kCounters, kLength - kCounters,
                                 "csat scale maximum");
  return PointerGetDatum(into.array);
}

LOYALTY_SQL_FUNCTION(loyalty_csat_final) {
  const double* values = csat_state_arg(fcinfo, 0, false).values;
  if (values[kRespondents] == 0) PG_RETURN_NULL();
  return Float8GetDatum(loyalty::csat_percent(values[kSatisfied], values[kRespondents]));
}
