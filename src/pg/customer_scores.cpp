// SQL binding of the scalar customer_scores (src/sql/440_customer_scores.sql): every score of one customer
// from stored models, the path of a view over a table of fitted models (a point lookup scores one row):
//   customer_scores(model <transaction model>, spend_model gamma_gamma_model, frequency, recency, t,
//   monetary,
//                   horizon, discount_rate, period_length, risk_boundaries, risk_labels)
//   customer_scores(model <continuous-time model>, spend_model, summary customer_summary_result, horizon,
//   ...)
// The window forms, which fit the models on their partition, are in scoring_windows.cpp; both score through
// loyalty::score_customer (src/core/customer_scores.hpp), so a window and a stored model with the same
// parameters give the same composite.
#include <cmath>

#include "customer_scores.hpp"

#include "boundary.hpp"
#include "customer_scores_result.hpp"
#include "model_cache.hpp"
#include "model_dispatch.hpp"
#include "summary_composite.hpp"

namespace {

// The scores of history (x, t_x, T, m) with the horizon at argument `horizon_arg` and the discount rate,
// period length, risk boundaries and risk labels after it.
Datum scores_of(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound, double x, double t_x, double T,
                double m, int horizon_arg) {
  const loyalty::ModelDescription& model = *bound.model;
  const double* p = loyalty::pg::cached_model_parameters(fcinfo, 0, 0, model);
  const double* g = loyalty::pg::cached_model_parameters(
      fcinfo, 1, 1, *loyalty::pg::bound_model("gamma_gamma_model").model);
  const loyalty::pg::ScoringSetup* setup =
      loyalty::pg::scoring_setup(fcinfo, PG_GETARG_DATUM(horizon_arg + 3), PG_GETARG_DATUM(horizon_arg + 4));
  loyalty::ScoringRequest request;
  request.horizon.periods = PG_GETARG_INT32(horizon_arg);
  request.horizon.discount_rate = PG_GETARG_FLOAT8(horizon_arg + 1);
  request.horizon.period_length = PG_GETARG_FLOAT8(horizon_arg + 2);
  request.with_value = true;
  request.spend = {g[0], g[1], g[2]};
  request.risk_boundaries = loyalty::pg::risk_boundaries(setup);
  request.risk_boundary_count = loyalty::pg::risk_boundary_count(setup);
  const loyalty::CustomerScores scores =
      loyalty::score_customer(model, p, request, x, t_x, T, m, loyalty::pg::check_for_interrupts);
  return loyalty::pg::scores_result(setup, scores, true);
}

Datum customer_scores(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  return scores_of(fcinfo, bound, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
                   PG_GETARG_FLOAT8(5), 6);
}

Datum customer_scores_summary(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  const loyalty::pg::SummaryFields s = loyalty::pg::read_summary(fcinfo, PG_GETARG_DATUM(2));
  if (!s.calibrated || std::isnan(s.monetary)) PG_RETURN_NULL();
  return scores_of(fcinfo, bound, s.frequency, s.recency, s.t, s.monetary, 3);
}

}  // namespace

// clang-format off
LOYALTY_MODEL_ENTRY(bgnbd, customer_scores, customer_scores) LOYALTY_MODEL_ENTRY(mbgnbd, customer_scores, customer_scores)
LOYALTY_MODEL_ENTRY(pareto_nbd, customer_scores, customer_scores) LOYALTY_MODEL_ENTRY(bgbb, customer_scores, customer_scores)
LOYALTY_MODEL_ENTRY(bgnbd, customer_scores_summary, customer_scores_summary) LOYALTY_MODEL_ENTRY(mbgnbd, customer_scores_summary, customer_scores_summary)
LOYALTY_MODEL_ENTRY(pareto_nbd, customer_scores_summary, customer_scores_summary)
    // clang-format on
