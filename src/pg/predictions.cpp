// SQL binding of the scalar predictions of the fitted models (src/sql/420_predictions.sql): p_alive,
// churn_probability, expected_purchases (conditional), expected_purchases_unconditional and
// probability_of_purchases, overloaded on the model composite (bgnbd_model, mbgnbd_model, pareto_nbd_model,
// bgbb_model), and expected_spend(gamma_gamma_model, ...).
//
// Each call finds its model in the dispatch table, reads the parameters through cached_model_parameters
// (parsed once per query, not per row) and calls the model's description; the core validates the customer's
// history and throws std::invalid_argument naming the values (22023).
#include "gamma_gamma.hpp"

#include "boundary.hpp"
#include "model_cache.hpp"
#include "model_dispatch.hpp"

namespace {

using loyalty::ModelDescription;
using loyalty::pg::cached_model_parameters;

// P(alive) of the customer (frequency, recency, t) (BG/BB: t = n_periods); churn = true gives 1 - P(alive).
Datum p_alive(FunctionCallInfo fcinfo, const ModelDescription& model, bool churn) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  const double alive = model.p_alive(p, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
  return Float8GetDatum(churn ? 1 - alive : alive);
}

// E[X(t, t + horizon) | frequency, recency, t] (BG/BB: in the next `horizon` opportunities).
Datum expected_purchases(FunctionCallInfo fcinfo, const ModelDescription& model) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  return Float8GetDatum(model.expected_purchases(p, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
                                                 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)));
}

// E[X(t)] of a customer just acquired.
Datum expected_purchases_unconditional(FunctionCallInfo fcinfo, const ModelDescription& model) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  return Float8GetDatum(model.expected_purchases_unconditional(p, PG_GETARG_FLOAT8(1)));
}

// P(X(t) = k) of a customer just acquired.
Datum probability_of_purchases(FunctionCallInfo fcinfo, const ModelDescription& model) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, model);
  return Float8GetDatum(model.probability_of_purchases(p, PG_GETARG_FLOAT8(1), PG_GETARG_INT32(2)));
}

const ModelDescription& model_of(const char* sql_type) {
  return *loyalty::pg::bound_model(sql_type).model;
}

}  // namespace

#define LOYALTY_PREDICTIONS_OF(name)                                           \
  LOYALTY_SQL_FUNCTION(loyalty_##name##_p_alive) {                             \
    return p_alive(fcinfo, model_of(#name "_model"), false);                   \
  }                                                                            \
  LOYALTY_SQL_FUNCTION(loyalty_##name##_churn_probability) {                   \
    return p_alive(fcinfo, model_of(#name "_model"), true);                    \
  }                                                                            \
  LOYALTY_SQL_FUNCTION(loyalty_##name##_expected_purchases) {                  \
    return expected_purchases(fcinfo, model_of(#name "_model"));               \
  }                                                                            \
  LOYALTY_SQL_FUNCTION(loyalty_##name##_expected_purchases_unconditional) {    \
    return expected_purchases_unconditional(fcinfo, model_of(#name "_model")); \
  }                                                                            \
  LOYALTY_SQL_FUNCTION(loyalty_##name##_probability_of_purchases) {            \
    return probability_of_purchases(fcinfo, model_of(#name "_model"));         \
  }

LOYALTY_PREDICTIONS_OF(bgnbd)
LOYALTY_PREDICTIONS_OF(mbgnbd)
LOYALTY_PREDICTIONS_OF(pareto_nbd)
LOYALTY_PREDICTIONS_OF(bgbb)

#undef LOYALTY_PREDICTIONS_OF

// expected_spend(gamma_gamma_model, frequency, monetary): E[M | x, m]; the population mean when x = 0.
LOYALTY_SQL_FUNCTION(loyalty_gamma_gamma_expected_spend) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, model_of("gamma_gamma_model"));
  return Float8GetDatum(
      loyalty::gamma_gamma_expected_spend({p[0], p[1], p[2]}, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)));
}
