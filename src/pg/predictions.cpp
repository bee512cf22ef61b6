// SQL binding of the scalar predictions of the fitted models (src/sql/420_predictions.sql): p_alive,
// churn_probability, expected_purchases (conditional), expected_purchases_unconditional and
// probability_of_purchases, overloaded on the model composite (bgnbd_model, mbgnbd_model, pareto_nbd_model,
// bgbb_model), and expected_spend(gamma_gamma_model, ...).
//
// Each call finds its model in the dispatch table, reads the parameters through cached_model_parameters
// (parsed once per query, not per row) and calls the model's description; the core validates the customer's
// history and throws std::invalid_argument naming the values (22023). A customer with t = 0 (first purchase
// at the end of the data) is valid: the predictions of a customer just acquired.
//
// The *_summary forms take a customer_summary_result composite instead of (frequency, recency, t) (and
// monetary for expected_spend): the same values, NULL when the summary has no calibration data.
#include <cmath>

#include "gamma_gamma.hpp"

#include "boundary.hpp"
#include "model_cache.hpp"
#include "model_dispatch.hpp"
#include "summary_composite.hpp"

namespace {

using loyalty::ModelDescription;
using loyalty::pg::cached_model_parameters;

using loyalty::pg::BoundModel;

// P(alive) of the customer (frequency, recency, t) (BG/BB: t = n_periods).
double alive(FunctionCallInfo fcinfo, const ModelDescription& model) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  return model.p_alive(p, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
}

Datum p_alive(FunctionCallInfo fcinfo, const BoundModel& bound) {
  return Float8GetDatum(alive(fcinfo, *bound.model));
}

Datum churn_probability(FunctionCallInfo fcinfo, const BoundModel& bound) {
  return Float8GetDatum(1 - alive(fcinfo, *bound.model));
}

// E[X(t, t + horizon) | frequency, recency, t] (BG/BB: in the next `horizon` opportunities).
Datum expected_purchases(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const ModelDescription& model = *bound.model;
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  return Float8GetDatum(model.expected_purchases(p, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
                                                 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)));
}

// E[X(t)] of a customer just acquired.
Datum expected_purchases_unconditional(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const ModelDescription& model = *bound.model;
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  return Float8GetDatum(model.expected_purchases_unconditional(p, PG_GETARG_FLOAT8(1)));
}

// P(X(t) = k) of a customer just acquired.
Datum probability_of_purchases(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const ModelDescription& model = *bound.model;
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  return Float8GetDatum(model.probability_of_purchases(p, PG_GETARG_FLOAT8(1), PG_GETARG_INT32(2)));
}

Datum expected_spend(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, *bound.model);
  return Float8GetDatum(
      loyalty::gamma_gamma_expected_spend({p[0], p[1], p[2]}, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)));
}

// The customer_summary_result argument `argno` (non-NULL: the functions are STRICT).
loyalty::pg::SummaryFields summary_arg(FunctionCallInfo fcinfo, int argno) {
  return loyalty::pg::read_summary(fcinfo, PG_GETARG_DATUM(argno));
}

Datum p_alive_summary(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const loyalty::pg::SummaryFields s = summary_arg(fcinfo, 1);
  if (!s.calibrated) PG_RETURN_NULL();
  const double* p = cached_model_parameters(fcinfo, 0, 0, *bound.model);
  return Float8GetDatum(bound.model->p_alive(p, s.frequency, s.recency, s.t));
}

Datum churn_probability_summary(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const loyalty::pg::SummaryFields s = summary_arg(fcinfo, 1);
  if (!s.calibrated) PG_RETURN_NULL();
  const double* p = cached_model_parameters(fcinfo, 0, 0, *bound.model);
  return Float8GetDatum(1 - bound.model->p_alive(p, s.frequency, s.recency, s.t));
}

Datum expected_purchases_summary(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const loyalty::pg::SummaryFields s = summary_arg(fcinfo, 1);
  if (!s.calibrated) PG_RETURN_NULL();
  const double* p = cached_model_parameters(fcinfo, 0, 0, *bound.model);
  return Float8GetDatum(bound.model->expected_purchases(p, s.frequency, s.recency, s.t, PG_GETARG_FLOAT8(2)));
}

// E[M | x, m] from the summary's frequency and monetary (its monetary is 0 when frequency is 0).
Datum expected_spend_summary(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const loyalty::pg::SummaryFields s = summary_arg(fcinfo, 1);
  if (!s.calibrated || std::isnan(s.monetary)) PG_RETURN_NULL();
  const double* p = cached_model_parameters(fcinfo, 0, 0, *bound.model);
  return Float8GetDatum(loyalty::gamma_gamma_expected_spend({p[0], p[1], p[2]}, s.frequency, s.monetary));
}

}  // namespace

// The entry points, a model a line (C symbols of src/sql/420_predictions.sql);
// expected_spend(gamma_gamma_model, frequency, monetary) is E[M | x, m], the population mean when x = 0.
// clang-format off
#define LOYALTY_PREDICTIONS_OF(name) LOYALTY_MODEL_ENTRY(name, p_alive, p_alive) LOYALTY_MODEL_ENTRY(name, churn_probability, churn_probability) LOYALTY_MODEL_ENTRY(name, expected_purchases, expected_purchases) LOYALTY_MODEL_ENTRY(name, expected_purchases_unconditional, expected_purchases_unconditional) LOYALTY_MODEL_ENTRY(name, probability_of_purchases, probability_of_purchases)
LOYALTY_PREDICTIONS_OF(bgnbd) LOYALTY_PREDICTIONS_OF(mbgnbd) LOYALTY_PREDICTIONS_OF(pareto_nbd) LOYALTY_PREDICTIONS_OF(bgbb)
#undef LOYALTY_PREDICTIONS_OF
LOYALTY_MODEL_ENTRY(gamma_gamma, expected_spend, expected_spend)
// The customer_summary_result forms of the continuous-time models (BG/BB counts opportunities, which a
// calendar summary does not).
#define LOYALTY_SUMMARY_PREDICTIONS_OF(name) LOYALTY_MODEL_ENTRY(name, p_alive_summary, p_alive_summary) LOYALTY_MODEL_ENTRY(name, churn_probability_summary, churn_probability_summary) LOYALTY_MODEL_ENTRY(name, expected_purchases_summary, expected_purchases_summary)
LOYALTY_SUMMARY_PREDICTIONS_OF(bgnbd) LOYALTY_SUMMARY_PREDICTIONS_OF(mbgnbd) LOYALTY_SUMMARY_PREDICTIONS_OF(pareto_nbd)
#undef LOYALTY_SUMMARY_PREDICTIONS_OF
LOYALTY_MODEL_ENTRY(gamma_gamma, expected_spend_summary, expected_spend_summary)
    // clang-format on
