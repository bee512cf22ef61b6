// SQL binding of mean_lift(treated, value [, confidence]) (src/core/mean_lift.hpp).
//
// State: float8[] [treated n, mean, M2, control n, mean, M2] (+ [confidence], NaN until the first row sets
// it): a real SQL type, so PostgreSQL's parallel aggregation and engines that ship partial states as text
// (Citus) can use it. Transition functions are STRICT: rows with a NULL never reach them.
#include <cmath>
#include <stdexcept>
#include <string>

#include "mean_lift.hpp"

#include "boundary.hpp"
#include "guarded_tuple.hpp"

namespace {

constexpr int kSlots = loyalty::kMeanLiftSlots;
constexpr int kResultFields = 13;

// The float8[] state argument `argno` with `length` elements. Inside an aggregate the state is the
// aggregate's own, not toasted (made from INITCOND or by these functions), and is changed in place; called
// directly from SQL it is detoasted and copied through postgres_guard, so that a user's value is never
// changed.
double* state_arg(FunctionCallInfo fcinfo, int argno, int length, ArrayType** array_out) {
  ArrayType* array;
  const Datum datum = PG_GETARG_DATUM(argno);
  if (AggCheckCallContext(fcinfo, nullptr) && !VARATT_IS_EXTENDED(DatumGetPointer(datum)))
    array = reinterpret_cast<ArrayType*>(DatumGetPointer(datum));
  else
    array = loyalty::pg::postgres_guard([&] { return PG_GETARG_ARRAYTYPE_P_COPY(argno); });
  if (ARR_NDIM(array) != 1 || ARR_DIMS(array)[0] != length || ARR_HASNULL(array) ||
      ARR_ELEMTYPE(array) != FLOAT8OID)
    throw std::invalid_argument("invalid mean_lift state: expected a float8 array of " +
                                std::to_string(length) + " elements without NULLs");
  auto* values = reinterpret_cast<double*>(ARR_DATA_PTR(array));
  for (int g : {loyalty::kMeanLiftTreated, loyalty::kMeanLiftControl})
    if (!loyalty::moments_are_valid(loyalty::MeanMoments{values[g], values[g + 1], values[g + 2]}))
      throw std::invalid_argument("invalid mean_lift state: bad group moments");
  if (array_out != nullptr) *array_out = array;
  return values;
}

void set_confidence(double* slot, double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("mean_lift: confidence level must lie strictly between 0 and 1");
  if (std::isnan(*slot))
    *slot = confidence;
  else if (*slot != confidence)
    throw std::invalid_argument("mean_lift: the confidence level must be the same for every row of a group");
}

Datum lift_accum(FunctionCallInfo fcinfo, int length) {
  ArrayType* array;
  double* v = state_arg(fcinfo, 0, length, &array);
  const bool treated = PG_GETARG_BOOL(1);
  const double x = PG_GETARG_FLOAT8(2);
  if (!std::isfinite(x)) throw std::invalid_argument("mean_lift: values must be finite");
  if (length > kSlots) set_confidence(&v[kSlots], PG_GETARG_FLOAT8(3));
  const int g = treated ? loyalty::kMeanLiftTreated : loyalty::kMeanLiftControl;
  loyalty::MeanMoments m{v[g], v[g + 1], v[g + 2]};
  loyalty::moments_add(m, x);
  v[g] = m.n;
  v[g + 1] = m.mean;
  v[g + 2] = m.m2;
  PG_RETURN_POINTER(array);
}

Datum lift_combine(FunctionCallInfo fcinfo, int length) {
  ArrayType* into;
  double* a = state_arg(fcinfo, 0, length, &into);
  const double* b = state_arg(fcinfo, 1, length, nullptr);
  for (int g : {loyalty::kMeanLiftTreated, loyalty::kMeanLiftControl}) {
    loyalty::MeanMoments m{a[g], a[g + 1], a[g + 2]};
    loyalty::moments_combine(m, loyalty::MeanMoments{b[g], b[g + 1], b[g + 2]});
    a[g] = m.n;
    a[g + 1] = m.mean;
    a[g + 2] = m.m2;
  }
  if (length > kSlots && !std::isnan(b[kSlots])) set_confidence(&a[kSlots], b[kSlots]);
  PG_RETURN_POINTER(into);
}

Datum lift_final(FunctionCallInfo fcinfo, int length) {
  const double* v = state_arg(fcinfo, 0, length, nullptr);
  const loyalty::MeanMoments treated{v[loyalty::kMeanLiftTreated], v[loyalty::kMeanLiftTreated + 1],
                                     v[loyalty::kMeanLiftTreated + 2]};
  const loyalty::MeanMoments control{v[loyalty::kMeanLiftControl], v[loyalty::kMeanLiftControl + 1],
                                     v[loyalty::kMeanLiftControl + 2]};
  if (treated.n + control.n == 0) PG_RETURN_NULL();
  const double confidence = length > kSlots && !std::isnan(v[kSlots]) ? v[kSlots] : 0.95;
  const loyalty::MeanLift r = loyalty::mean_lift(treated, control, confidence);
  const double nan = std::nan("");
  const double figures[kResultFields] = {treated.n,
                                         treated.n > 0 ? treated.mean : nan,
                                         r.treated_sd,
                                         control.n,
                                         control.n > 0 ? control.mean : nan,
                                         r.control_sd,
                                         r.difference,
                                         r.relative_difference,
                                         r.ci_low,
                                         r.ci_high,
                                         r.t_statistic,
                                         r.degrees_of_freedom,
                                         r.p_value};
  Datum values[kResultFields];
  bool nulls[kResultFields];
  for (int i = 0; i < kResultFields; ++i) {
    const bool count = i == 0 || i == 3;
    values[i] = count ? Int64GetDatum(static_cast<int64>(figures[i])) : Float8GetDatum(figures[i]);
    nulls[i] = std::isnan(figures[i]);
  }
  TupleDesc tupdesc = loyalty::pg::guarded_result_descriptor(fcinfo, kResultFields, "mean_lift_result");
  return loyalty::pg::guarded_tuple(tupdesc, values, nulls);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_mean_lift_accum) {
  return lift_accum(fcinfo, kSlots);
}

LOYALTY_SQL_FUNCTION(loyalty_mean_lift_confidence_accum) {
  return lift_accum(fcinfo, kSlots + 1);
}

LOYALTY_SQL_FUNCTION(loyalty_mean_lift_combine) {
  return lift_combine(fcinfo, kSlots);
}

LOYALTY_SQL_FUNCTION(loyalty_mean_lift_confidence_combine) {
  return lift_combine(fcinfo, kSlots + 1);
}

LOYALTY_SQL_FUNCTION(loyalty_mean_lift_final) {
  return lift_final(fcinfo, kSlots);
}

LOYALTY_SQL_FUNCTION(loyalty_mean_lift_confidence_final) {
  return lift_final(fcinfo, kSlots + 1);
}
