// SQL binding of the CSAT aggregates: csat(score) on a 1-5 scale and csat(score, scale_max).
//
// State: float8[] [satisfied, respondents, scale_max] (src/core/counter_state.hpp); csat(score) starts with
// scale_max = 5, csat(score, scale_max) with NaN and takes it from the first row. Transition and inverse
// functions are STRICT, so rows with a NULL argument never reach them.
#include "csat.hpp"

#include <cmath>

#include "counter_state.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"

namespace {

constexpr int kSatisfied = 0;
constexpr int kRespondents = 1;
constexpr int kScaleMax = 2;
constexpr int kCounters = 2;
constexpr int kLength = 3;

// The CSAT state argument `argno`: a valid counter array whose satisfied count does not exceed its
// respondents and whose scale is unset (NaN) or a valid scale; otherwise ERROR 22023.
double* csat_state_arg(FunctionCallInfo fcinfo, int argno, ArrayType** array_out) {
  double* values = loyalty::pg::counter_array_arg(fcinfo, argno, kLength, kCounters, "csat", array_out);
  if (values[kSatisfied] > values[kRespondents] ||
      !(std::isnan(values[kScaleMax]) ||
        (values[kScaleMax] >= 3 && values[kScaleMax] == std::floor(values[kScaleMax]))))
    ereport(
        ERROR,
        (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
         errmsg(
             "invalid csat state: satisfied exceeds respondents or the scale is not a whole number >= 3")));
  return values;
}

// Adds (sign = +1) or removes (sign = -1) one score. With `scale_argno` >= 0 the scale comes from that
// argument.
Datum csat_step(FunctionCallInfo fcinfo, double sign, int scale_argno) {
  ArrayType* array;
  double* values = loyalty::pg::counter_array_transition_arg(fcinfo, kLength, kCounters, "csat", &array);
  const int32 score = PG_GETARG_INT32(1);
  const int32 scale_argument = scale_argno >= 0 ? PG_GETARG_INT32(scale_argno) : 0;
  return loyalty::pg::cpp_boundary([&] {
    if (scale_argno >= 0) {
      loyalty::validate_csat_scale(scale_argument);
      loyalty::counter_state_set_parameter(&values[kScaleMax], scale_argument, "csat scale maximum");
    }
    const int scale_max = static_cast<int>(values[kScaleMax]);
    values[kSatisfied] += sign * loyalty::csat_is_satisfied(score, scale_max);
    values[kRespondents] += sign;
    return PointerGetDatum(array);
  });
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_csat_accum);
Datum loyalty_csat_accum(PG_FUNCTION_ARGS) {
  return csat_step(fcinfo, +1, -1);
}

PG_FUNCTION_INFO_V1(loyalty_csat_retract);
Datum loyalty_csat_retract(PG_FUNCTION_ARGS) {
  return csat_step(fcinfo, -1, -1);
}

PG_FUNCTION_INFO_V1(loyalty_csat_scale_accum);
Datum loyalty_csat_scale_accum(PG_FUNCTION_ARGS) {
  return csat_step(fcinfo, +1, 2);
}

PG_FUNCTION_INFO_V1(loyalty_csat_scale_retract);
Datum loyalty_csat_scale_retract(PG_FUNCTION_ARGS) {
  return csat_step(fcinfo, -1, 2);
}

PG_FUNCTION_INFO_V1(loyalty_csat_combine);
Datum loyalty_csat_combine(PG_FUNCTION_ARGS) {
  ArrayType* into;
  double* a = csat_state_arg(fcinfo, 0, &into);
  const double* b = csat_state_arg(fcinfo, 1, nullptr);
  return loyalty::pg::cpp_boundary([&] {
    loyalty::counter_state_combine(a, b, kCounters, kLength - kCounters, "csat scale maximum");
    return PointerGetDatum(into);
  });
}

PG_FUNCTION_INFO_V1(loyalty_csat_final);
Datum loyalty_csat_final(PG_FUNCTION_ARGS) {
  const double* values = csat_state_arg(fcinfo, 0, nullptr);
  if (values[kRespondents] == 0) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(loyalty::csat_percent(values[kSatisfied], values[kRespondents]));
}

}  // extern "C"
