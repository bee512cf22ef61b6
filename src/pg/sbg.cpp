// SQL binding of the sBG contractual churn model (src/core/sbg.hpp): the sbg_fit aggregate and the scalars
// that read a fitted sbg_model.
//
// sbg_fit state: float8[] histogram [churned_1, censored_1, churned_2, censored_2, ...], the number of
// customers lost in period t and of those still active after t periods. It is the sufficient statistic of the
// likelihood (FH 2007 eq. (B3) depends on the data only through these counts), so the fit works on at most
// 2 * max tenure weighted rows whatever the number of customers; it is as long as the largest tenure needs (a
// few hundred entries for monthly data: small next to a row), combines by adding entry by entry, and being a
// real SQL type it can be shipped between processes and servers without serial/deserial functions.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "counter_state.hpp"
#include "penalized_fit.hpp"
#include "sbg.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"
#include "model_cache.hpp"
#include "model_composite.hpp"
#include "model_dispatch.hpp"

namespace {

constexpr int kMaxTenure = 100000;

[[noreturn]] void invalid_state(const char* detail) {
  throw std::invalid_argument(std::string("invalid sbg_fit state: ") + detail);
}

// An sbg_fit state argument (an empty array is the empty histogram). The transition function trusts the
// aggregate's own state (shape only); everything else is checked in full.
double* histogram_arg(FunctionCallInfo fcinfo, int argno, bool shape_only, int* length_out,
                      ArrayType** array_out) {
  const bool in_aggregate = AggCheckCallContext(fcinfo, nullptr);
  ArrayType* array = loyalty::pg::postgres_guard([&] {  // detoasting or copying may raise
    return in_aggregate ? PG_GETARG_ARRAYTYPE_P(argno) : PG_GETARG_ARRAYTYPE_P_COPY(argno);
  });
  const int n = ARR_NDIM(array) == 1 ? ARR_DIMS(array)[0] : 0;
  if (ARR_NDIM(array) > 1 || ARR_HASNULL(array) || ARR_ELEMTYPE(array) != FLOAT8OID || n % 2 != 0 ||
      n > 2 * kMaxTenure)
    invalid_state("expected a float8 array of even length without NULLs");
  double* values = reinterpret_cast<double*>(ARR_DATA_PTR(array));
  if (!(shape_only && in_aggregate) && !loyalty::counter_state_is_valid(values, n))
    invalid_state("counts must be non-negative whole numbers");
  *length_out = n;
  *array_out = array;
  return values;
}

loyalty::SbgParams model_arg(FunctionCallInfo fcinfo) {
  const double* p =
      loyalty::pg::cached_model_parameters(fcinfo, 0, 0, *loyalty::pg::bound_model("sbg_model").model);
  return loyalty::SbgParams{p[0], p[1]};
}

}  // namespace

// Adds one customer: tenure periods, churned at the end of them (true) or still active (false).
LOYALTY_SQL_FUNCTION(loyalty_sbg_fit_accum) {
  int length;
  ArrayType* array;
  double* counts = histogram_arg(fcinfo, 0, true, &length, &array);
  const int32 tenure = PG_GETARG_INT32(1);
  const bool churned = PG_GETARG_BOOL(2);
  if (tenure < 1)
    throw std::invalid_argument("sbg tenure must be a positive integer, got " + std::to_string(tenure));
  if (tenure > kMaxTenure)
    throw std::length_error("sbg_fit supports tenures up to " + std::to_string(kMaxTenure) +
                            " periods, got " + std::to_string(tenure));
  if (2 * tenure > length) {
    // Doubling keeps the copies few when tenures arrive in increasing order.
    const int grown = std::max(2 * tenure, std::min(2 * kMaxTenure, 2 * length));
    ArrayType* larger = loyalty::pg::counter_array_zeroed(CurrentMemoryContext, grown);
    std::copy(counts, counts + length, loyalty::pg::counter_array_values(larger));
    array = larger;
    counts = loyalty::pg::counter_array_values(larger);
  }
  counts[2 * (tenure - 1) + (churned ? 0 : 1)] += 1;
  PG_RETURN_POINTER(array);
}

// Merges two partial histograms (the shorter is padded with zeros).
LOYALTY_SQL_FUNCTION(loyalty_sbg_fit_combine) {
  int length_a, length_b;
  ArrayType *array_a, *array_b;
  double* a = histogram_arg(fcinfo, 0, false, &length_a, &array_a);
  const double* b = histogram_arg(fcinfo, 1, false, &length_b, &array_b);
  if (length_b > length_a) {
    ArrayType* larger = loyalty::pg::counter_array_zeroed(CurrentMemoryContext, length_b);
    std::copy(a, a + length_a, loyalty::pg::counter_array_values(larger));
    array_a = larger;
    a = loyalty::pg::counter_array_values(larger);
    length_a = length_b;
  }
  for (int i = 0; i < length_b; ++i) a[i] += b[i];
  PG_RETURN_POINTER(array_a);
}

// The maximum-likelihood sbg_model of a histogram (the core's one fit driver); NULL without customers.
LOYALTY_SQL_FUNCTION(loyalty_sbg_fit_final) {
  int length;
  ArrayType* array;
  const double* counts = histogram_arg(fcinfo, 0, false, &length, &array);
  std::vector<loyalty::ModelRow> rows;
  for (int i = 0; i < length; ++i)
    if (counts[i] > 0)
      rows.push_back(loyalty::ModelRow{{double(i / 2 + 1), i % 2 == 0 ? 1.0 : 0.0, 0}, counts[i]});
  if (rows.empty()) PG_RETURN_NULL();
  loyalty::FitOptions options;
  options.check_interrupt = loyalty::pg::check_for_interrupts;
  const loyalty::ModelDescription& model = *loyalty::pg::bound_model("sbg_model").model;
  const loyalty::ModelFit fit = loyalty::fit_model(model, rows, options);
  return loyalty::pg::model_composite_of_fit(fcinfo, model.parameter_count, fit.params, fit.report);
}

// S(t): the share of a cohort still active after t periods.
LOYALTY_SQL_FUNCTION(loyalty_sbg_survival) {
  return Float8GetDatum(loyalty::sbg_survival(model_arg(fcinfo), PG_GETARG_INT32(1)));
}

// r(t) = S(t)/S(t-1): the retention rate at the t-th renewal.
LOYALTY_SQL_FUNCTION(loyalty_sbg_retention_rate) {
  return Float8GetDatum(loyalty::sbg_retention_rate(model_arg(fcinfo), PG_GETARG_INT32(1)));
}

// P(T = t): the probability that a new customer is lost at the t-th renewal.
LOYALTY_SQL_FUNCTION(loyalty_sbg_churn_probability) {
  return Float8GetDatum(loyalty::sbg_churn_probability(model_arg(fcinfo), PG_GETARG_INT32(1)));
}

// DERL(d | n-1 renewals), Fader & Hardie (2010) eq. (6).
LOYALTY_SQL_FUNCTION(loyalty_sbg_discounted_expected_residual_lifetime) {
  return Float8GetDatum(loyalty::sbg_discounted_expected_residual_lifetime(
      model_arg(fcinfo), PG_GETARG_INT32(1), PG_GETARG_FLOAT8(2)));
}
