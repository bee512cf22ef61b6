// SQL binding of the holdout_check aggregates (src/sql/450_holdout_check.sql): a fitted transaction model's
// expected purchases in the holdout period against the actual ones (src/core/holdout_check.hpp), over
//   holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length)
//   holdout_check(model, summary customer_summary_result, holdout_length)   (its holdout_frequency)
// The state is a float8[] of kHoldoutStateLength elements (parallel aggregation needs no serialisation); it
// is created on the first row and changed in place, as it belongs to the aggregate. The functions run only
// inside the aggregates (the state is checked for its shape, not trusted blindly).
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "holdout_check.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"
#include "model_cache.hpp"
#include "model_dispatch.hpp"
#include "summary_composite.hpp"

namespace {

using loyalty::kHoldoutStateLength;

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* what) {
  MemoryContext context;
  if (!AggCheckCallContext(fcinfo, &context))
    throw loyalty::pg::SqlStateError(
        ERRCODE_FEATURE_NOT_SUPPORTED,
        std::string(what) + " can only be called by the holdout_check aggregates");
  return context;
}

// The state argument `argno` (nullptr when NULL), checked for its shape.
double* state_arg(FunctionCallInfo fcinfo, int argno) {
  if (PG_ARGISNULL(argno)) return nullptr;
  ArrayType* array = loyalty::pg::postgres_guard([&] { return PG_GETARG_ARRAYTYPE_P(argno); });
  if (ARR_NDIM(array) != 1 || ARR_HASNULL(array) || ARR_ELEMTYPE(array) != FLOAT8OID ||
      ARR_DIMS(array)[0] != kHoldoutStateLength)
    throw std::invalid_argument("invalid holdout_check state: expected a float8[] of " +
                                std::to_string(kHoldoutStateLength) + " elements without NULLs");
  return loyalty::pg::counter_array_values(array);
}

// Adds one customer to the state (argument 0), creating it on the first row.
Datum add_customer(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound, double x, double t_x,
                   double T, double actual, double holdout_length) {
  const MemoryContext context = aggregate_context(fcinfo, "holdout_check_accum");
  const loyalty::ModelDescription& model = *bound.model;
  const double* params = loyalty::pg::cached_model_parameters(fcinfo, 0, 1, model);
  double* state = state_arg(fcinfo, 0);
  Datum result;
  if (state == nullptr) {
    double start[kHoldoutStateLength];
    loyalty::holdout_start(model, params, holdout_length, start);
    ArrayType* array = loyalty::pg::postgres_guard(
        [&] { return loyalty::pg::counter_array_zeroed(context, kHoldoutStateLength); });
    state = loyalty::pg::counter_array_values(array);
    for (int i = 0; i < kHoldoutStateLength; ++i) state[i] = start[i];
    result = PointerGetDatum(array);
  } else {
    loyalty::holdout_check_same(model, state, params, holdout_length);
    result = PG_GETARG_DATUM(0);
  }
  loyalty::holdout_add(model, state, x, t_x, T, actual);
  return result;
}

Datum holdout_accum(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  for (int a = 1; a <= 6; ++a)
    if (PG_ARGISNULL(a)) {  // a customer with a NULL is skipped
      if (PG_ARGISNULL(0)) PG_RETURN_NULL();
      return PG_GETARG_DATUM(0);
    }
  return add_customer(fcinfo, bound, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
                      PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6));
}

Datum holdout_summary_accum(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  bool skip = PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3);
  loyalty::pg::SummaryFields s{};
  if (!skip) {
    s = loyalty::pg::read_summary(fcinfo, PG_GETARG_DATUM(2));
    skip = !s.calibrated || std::isnan(s.holdout_frequency);  // no calibration data: not a customer yet
  }
  if (skip) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    return PG_GETARG_DATUM(0);
  }
  return add_customer(fcinfo, bound, s.frequency, s.recency, s.t, s.holdout_frequency, PG_GETARG_FLOAT8(3));
}

}  // namespace

// clang-format off
LOYALTY_MODEL_ENTRY(bgnbd, holdout_accum, holdout_accum) LOYALTY_MODEL_ENTRY(mbgnbd, holdout_accum, holdout_accum)
LOYALTY_MODEL_ENTRY(pareto_nbd, holdout_accum, holdout_accum) LOYALTY_MODEL_ENTRY(bgbb, holdout_accum, holdout_accum)
LOYALTY_MODEL_ENTRY(bgnbd, holdout_summary_accum, holdout_summary_accum) LOYALTY_MODEL_ENTRY(mbgnbd, holdout_summary_accum, holdout_summary_accum)
LOYALTY_MODEL_ENTRY(pareto_nbd, holdout_summary_accum, holdout_summary_accum)
    // clang-format on

    // Merges two partial states (parallel workers).
    LOYALTY_SQL_FUNCTION(loyalty_holdout_check_combine) {
  const MemoryContext context = aggregate_context(fcinfo, "holdout_check_combine");
  double* left = state_arg(fcinfo, 0);
  double* right = state_arg(fcinfo, 1);
  if (right == nullptr) {
    if (left == nullptr) PG_RETURN_NULL();
    return PG_GETARG_DATUM(0);
  }
  if (left == nullptr) {  // the result must live in the aggregate's context
    ArrayType* array = loyalty::pg::postgres_guard(
        [&] { return loyalty::pg::counter_array_zeroed(context, kHoldoutStateLength); });
    double* copy = loyalty::pg::counter_array_values(array);
    for (int i = 0; i < kHoldoutStateLength; ++i) copy[i] = right[i];
    return PointerGetDatum(array);
  }
  loyalty::holdout_merge(left, right);
  return PG_GETARG_DATUM(0);
}

// The holdout_check_result of a state.
LOYALTY_SQL_FUNCTION(loyalty_holdout_check_final) {
  aggregate_context(fcinfo, "holdout_check_final");
  const double* state = state_arg(fcinfo, 0);
  if (state == nullptr) PG_RETURN_NULL();
  const loyalty::HoldoutResult r = loyalty::holdout_result(state);
  const int bins = static_cast<int>(r.bins.size());
  Datum frequency[loyalty::kHoldoutFrequencyBins], customers[loyalty::kHoldoutFrequencyBins],
      predicted[loyalty::kHoldoutFrequencyBins], actual[loyalty::kHoldoutFrequencyBins];
  for (int i = 0; i < bins; ++i) {
    frequency[i] = Int32GetDatum(r.bins[i].frequency);
    customers[i] = Int64GetDatum(static_cast<int64>(r.bins[i].customers));
    predicted[i] = Float8GetDatum(r.bins[i].predicted_mean);
    actual[i] = Float8GetDatum(r.bins[i].actual_mean);
  }
  const double customers_total = r.customers, predicted_total = r.predicted_total,
               actual_total = r.actual_total, mae = r.mean_absolute_error, rmse = r.root_mean_squared_error,
               correlation = r.correlation;
  return loyalty::pg::postgres_guard([&] {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      ereport(ERROR,
              (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("holdout_check_final returns a composite")));
    desc = BlessTupleDesc(desc);
    Datum values[10] = {
        Int64GetDatum(static_cast<int64>(customers_total)),
        Float8GetDatum(predicted_total),
        Float8GetDatum(actual_total),
        Float8GetDatum(mae),
        Float8GetDatum(rmse),
        Float8GetDatum(correlation),
        PointerGetDatum(construct_array(frequency, bins, INT4OID, 4, true, TYPALIGN_INT)),
        PointerGetDatum(construct_array(customers, bins, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
        PointerGetDatum(construct_array(predicted, bins, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
        PointerGetDatum(construct_array(actual, bins, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
    };
    bool nulls[10] = {false, false, false, false, false, std::isnan(correlation), false, false, false, false};
    return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
  });
}
