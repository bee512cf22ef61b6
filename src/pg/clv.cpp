// SQL binding of clv_estimate(transaction_model, gamma_gamma_model, frequency, recency, t, monetary, horizon,
// discount_rate[, period_length]) (src/sql/430_clv.sql), overloaded on the transaction model (bgnbd_model,
// mbgnbd_model, pareto_nbd_model, bgbb_model). The formula and its source are in src/core/clv.hpp; the
// transaction model comes from the dispatch table, both models are read through cached_model_parameters.
#include "clv.hpp"

#include "boundary.hpp"
#include "model_cache.hpp"
#include "model_dispatch.hpp"

namespace {

Datum clv_estimate(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  const loyalty::ModelDescription& model = *bound.model;
  const double* p = loyalty::pg::cached_model_parameters(fcinfo, 0, 0, model);
  const double* g = loyalty::pg::cached_model_parameters(
      fcinfo, 1, 1, *loyalty::pg::bound_model("gamma_gamma_model").model);
  loyalty::ClvHorizon horizon;
  horizon.periods = PG_GETARG_INT32(6);
  horizon.discount_rate = PG_GETARG_FLOAT8(7);
  horizon.period_length = PG_NARGS() > 8 ? PG_GETARG_FLOAT8(8) : 1.0;
  return Float8GetDatum(loyalty::customer_value(model, p, {g[0], g[1], g[2]}, PG_GETARG_FLOAT8(2),
                                                PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4), PG_GETARG_FLOAT8(5),
                                                horizon, loyalty::pg::check_for_interrupts));
}

}  // namespace

// clang-format off
LOYALTY_MODEL_ENTRY(bgnbd, clv_estimate, clv_estimate) LOYALTY_MODEL_ENTRY(mbgnbd, clv_estimate, clv_estimate)
LOYALTY_MODEL_ENTRY(pareto_nbd, clv_estimate, clv_estimate) LOYALTY_MODEL_ENTRY(bgbb, clv_estimate, clv_estimate)
    // clang-format on
