// SQL binding of clv_estimate(transaction_model, gamma_gamma_model, frequency, recency, t, monetary, horizon,
// discount_rate[, period_length]) (src/sql/430_clv.sql), overloaded on the transaction model (bgnbd_model,
// mbgnbd_model, pareto_nbd_model, bgbb_model). The formula and its source are in src/core/clv.hpp; the
// transaction model comes from the dispatch table, both models are read through cached_model_parameters.
#include <cmath>

#include "clv.hpp"

#include "boundary.hpp"
#include "model_cache.hpp"
#include "model_dispatch.hpp"
#include "summary_composite.hpp"

namespace {

// The CLV of history (x, t_x, T, m), the horizon at argument `horizon_arg`, the discount rate after it and
// the period length after that (1 when absent).
Datum value_of(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound, double x, double t_x, double T,
               double m, int horizon_arg) {
  const loyalty::ModelDescription& model = *bound.model;
  const double* p = loyalty::pg::cached_model_parameters(fcinfo, 0, 0, model);
  const double* g = loyalty::pg::cached_model_parameters(
      fcinfo, 1, 1, *loyalty::pg::bound_model("gamma_gamma_model").model);
  loyalty::ClvHorizon horizon;
  horizon.periods = PG_GETARG_INT32(horizon_arg);
  horizon.discount_rate = PG_GETARG_FLOAT8(horizon_arg + 1);
  horizon.period_length = PG_NARGS() > horizon_arg + 2 ? PG_GETARG_FLOAT8(horizon_arg + 2) : 1.0;
  return Float8GetDatum(loyalty::customer_value(model, p, {g[0], g[1], g[2]}, x, t_x, T, m, horizon,
                                                loyalty::pg::check_for_interrupts));
}

Datum clv_estimate(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  return value_of(fcinfo, bound, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
                  PG_GETARG_FLOAT8(5), 6);
}

// clv_estimate(transaction_model, spend_model, summary customer_summary_result, horizon, discount_rate,
// period_length): the summary's frequency, recency, t and monetary; NULL without calibration data.
Datum clv_estimate_summary(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  const loyalty::pg::SummaryFields s = loyalty::pg::read_summary(fcinfo, PG_GETARG_DATUM(2));
  if (!s.calibrated || std::isnan(s.monetary)) PG_RETURN_NULL();
  return value_of(fcinfo, bound, s.frequency, s.recency, s.t, s.monetary, 3);
}

}  // namespace

// clang-format off
LOYALTY_MODEL_ENTRY(bgnbd, clv_estimate, clv_estimate) LOYALTY_MODEL_ENTRY(mbgnbd, clv_estimate, clv_estimate)
LOYALTY_MODEL_ENTRY(pareto_nbd, clv_estimate, clv_estimate) LOYALTY_MODEL_ENTRY(bgbb, clv_estimate, clv_estimate)
LOYALTY_MODEL_ENTRY(bgnbd, clv_estimate_summary, clv_estimate_summary) LOYALTY_MODEL_ENTRY(mbgnbd, clv_estimate_summary, clv_estimate_summary)
LOYALTY_MODEL_ENTRY(pareto_nbd, clv_estimate_summary, clv_estimate_summary)
    // clang-format on
