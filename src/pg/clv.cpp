// SQL binding of clv_estimate(transaction_model, gamma_gamma_model, frequency, recency, t, monetary, horizon,
// discount_rate[, period_length]) (src/sql/430_clv.sql), overloaded on the transaction model (bgnbd_model,
// mbgnbd_model, pareto_nbd_model, bgbb_model). The formula and its source are in src/core/clv.hpp; the
// transaction model comes from the dispatch table, both models are read through cached_model_parameters.
#include "clv.hpp"

#include "boundary.hpp"
#include "model_cache.hpp"
#include "model_dispatch.hpp"

namespace {

Datum clv_estimate(FunctionCallInfo fcinfo, const char* sql_type) {
  const loyalty::ModelDescription& model = *loyalty::pg::bound_model(sql_type).model;
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

LOYALTY_SQL_FUNCTION(loyalty_bgnbd_clv_estimate) {
  return clv_estimate(fcinfo, "bgnbd_model");
}

LOYALTY_SQL_FUNCTION(loyalty_mbgnbd_clv_estimate) {
  return clv_estimate(fcinfo, "mbgnbd_model");
}

LOYALTY_SQL_FUNCTION(loyalty_pareto_nbd_clv_estimate) {
  return clv_estimate(fcinfo, "pareto_nbd_model");
}

LOYALTY_SQL_FUNCTION(loyalty_bgbb_clv_estimate) {
  return clv_estimate(fcinfo, "bgbb_model");
}
