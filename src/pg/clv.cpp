// SQL binding of clv_estimate(transaction_model, gamma_gamma_model, frequency, recency, t, monetary, horizon,
// discount_rate[, period_length]) (src/sql/430_clv.sql), overloaded on the transaction model (bgnbd_model,
// mbgnbd_model, pareto_nbd_model, bgbb_model). The formula and its source are in src/core/clv.hpp.
//
// Both models are read through cached_model_parameters (once per query, not per row); the arguments are
// fetched before entering C++ (cpp_boundary).
#include "clv.hpp"

#include "boundary.hpp"
#include "model_cache.hpp"

namespace {

enum class Model { bgnbd, mbgnbd, pareto_nbd, bgbb };

Datum clv_estimate(FunctionCallInfo fcinfo, Model model, const char* model_name) {
  const double* p = loyalty::pg::cached_model_parameters(fcinfo, 0, 0, 4, model_name);
  const double* g = loyalty::pg::cached_model_parameters(fcinfo, 1, 1, 3, "gamma_gamma_model");
  const double x = PG_GETARG_FLOAT8(2), t_x = PG_GETARG_FLOAT8(3), T = PG_GETARG_FLOAT8(4);
  const double m = PG_GETARG_FLOAT8(5);
  loyalty::ClvHorizon horizon;
  horizon.periods = PG_GETARG_INT32(6);
  horizon.discount_rate = PG_GETARG_FLOAT8(7);
  horizon.period_length = PG_NARGS() > 8 ? PG_GETARG_FLOAT8(8) : 1.0;
  return loyalty::pg::cpp_boundary([&] {
    const loyalty::GammaGammaParams spend{g[0], g[1], g[2]};
    double value = 0;
    switch (model) {
      case Model::bgnbd:
        value = loyalty::bgnbd_clv({p[0], p[1], p[2], p[3]}, spend, x, t_x, T, m, horizon,
                                   loyalty::pg::check_for_interrupts);
        break;
      case Model::mbgnbd:
        value = loyalty::mbgnbd_clv({p[0], p[1], p[2], p[3]}, spend, x, t_x, T, m, horizon,
                                    loyalty::pg::check_for_interrupts);
        break;
      case Model::pareto_nbd:
        value = loyalty::pareto_nbd_clv({p[0], p[1], p[2], p[3]}, spend, x, t_x, T, m, horizon,
                                        loyalty::pg::check_for_interrupts);
        break;
      case Model::bgbb:
        value = loyalty::bgbb_clv({p[0], p[1], p[2], p[3]}, spend, x, t_x, T, m, horizon,
                                  loyalty::pg::check_for_interrupts);
        break;
    }
    return Float8GetDatum(value);
  });
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_bgnbd_clv_estimate);
Datum loyalty_bgnbd_clv_estimate(PG_FUNCTION_ARGS) {
  return clv_estimate(fcinfo, Model::bgnbd, "bgnbd_model");
}

PG_FUNCTION_INFO_V1(loyalty_mbgnbd_clv_estimate);
Datum loyalty_mbgnbd_clv_estimate(PG_FUNCTION_ARGS) {
  return clv_estimate(fcinfo, Model::mbgnbd, "mbgnbd_model");
}

PG_FUNCTION_INFO_V1(loyalty_pareto_nbd_clv_estimate);
Datum loyalty_pareto_nbd_clv_estimate(PG_FUNCTION_ARGS) {
  return clv_estimate(fcinfo, Model::pareto_nbd, "pareto_nbd_model");
}

PG_FUNCTION_INFO_V1(loyalty_bgbb_clv_estimate);
Datum loyalty_bgbb_clv_estimate(PG_FUNCTION_ARGS) {
  return clv_estimate(fcinfo, Model::bgbb, "bgbb_model");
}

}  // extern "C"
