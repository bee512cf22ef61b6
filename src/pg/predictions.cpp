// SQL binding of the scalar predictions of the fitted models (src/sql/420_predictions.sql): p_alive,
// churn_probability, expected_purchases (conditional), expected_purchases_unconditional and
// probability_of_purchases, overloaded on the model composite (bgnbd_model, mbgnbd_model, pareto_nbd_model,
// bgbb_model), and expected_spend(gamma_gamma_model, ...).
//
// Each call reads the model through cached_model_parameters (parsed once per query, not per row), fetches its
// float8 arguments, and only then enters C++ (cpp_boundary): the core validates the customer's history and
// throws std::invalid_argument naming the values (22023).
#include "bgbb.hpp"
#include "bgnbd.hpp"
#include "gamma_gamma.hpp"
#include "mbgnbd.hpp"
#include "pareto_nbd.hpp"

#include "boundary.hpp"
#include "model_cache.hpp"

namespace {

using loyalty::pg::cached_model_parameters;
using loyalty::pg::cpp_boundary;

enum class Model { bgnbd, mbgnbd, pareto_nbd, bgbb };

const char* model_name(Model model) {
  switch (model) {
    case Model::bgnbd:
      return "bgnbd_model";
    case Model::mbgnbd:
      return "mbgnbd_model";
    case Model::pareto_nbd:
      return "pareto_nbd_model";
    case Model::bgbb:
      return "bgbb_model";
  }
  return "model";
}

const double* model_parameters(FunctionCallInfo fcinfo, Model model) {
  return cached_model_parameters(fcinfo, 0, 0, 4, model_name(model));
}

// P(alive) of the customer (frequency, recency, t) (BG/BB: t = n_periods); churn = true gives 1 - P(alive).
Datum p_alive(FunctionCallInfo fcinfo, Model model, bool churn) {
  const double* p = model_parameters(fcinfo, model);
  const double x = PG_GETARG_FLOAT8(1), t_x = PG_GETARG_FLOAT8(2), T = PG_GETARG_FLOAT8(3);
  return cpp_boundary([&] {
    double alive = 0;
    switch (model) {
      case Model::bgnbd:
        alive = loyalty::bgnbd_p_alive({p[0], p[1], p[2], p[3]}, x, t_x, T);
        break;
      case Model::mbgnbd:
        alive = loyalty::mbgnbd_p_alive({p[0], p[1], p[2], p[3]}, x, t_x, T);
        break;
      case Model::pareto_nbd:
        alive = loyalty::pareto_nbd_p_alive({p[0], p[1], p[2], p[3]}, x, t_x, T);
        break;
      case Model::bgbb:
        alive = loyalty::bgbb_p_alive({p[0], p[1], p[2], p[3]}, x, t_x, T);
        break;
    }
    return Float8GetDatum(churn ? 1 - alive : alive);
  });
}

// E[X(t, t + horizon) | frequency, recency, t] (BG/BB: in the next `horizon` opportunities).
Datum expected_purchases(FunctionCallInfo fcinfo, Model model) {
  const double* p = model_parameters(fcinfo, model);
  const double x = PG_GETARG_FLOAT8(1), t_x = PG_GETARG_FLOAT8(2), T = PG_GETARG_FLOAT8(3);
  const double horizon = PG_GETARG_FLOAT8(4);
  return cpp_boundary([&] {
    double value = 0;
    switch (model) {
      case Model::bgnbd:
        value = loyalty::bgnbd_expected_purchases({p[0], p[1], p[2], p[3]}, x, t_x, T, horizon);
        break;
      case Model::mbgnbd:
        value = loyalty::mbgnbd_expected_purchases({p[0], p[1], p[2], p[3]}, x, t_x, T, horizon);
        break;
      case Model::pareto_nbd:
        value = loyalty::pareto_nbd_expected_purchases({p[0], p[1], p[2], p[3]}, x, t_x, T, horizon);
        break;
      case Model::bgbb:
        value = loyalty::bgbb_expected_purchases({p[0], p[1], p[2], p[3]}, x, t_x, T, horizon);
        break;
    }
    return Float8GetDatum(value);
  });
}

// E[X(t)] of a customer just acquired.
Datum expected_purchases_unconditional(FunctionCallInfo fcinfo, Model model) {
  const double* p = model_parameters(fcinfo, model);
  const double t = PG_GETARG_FLOAT8(1);
  return cpp_boundary([&] {
    double value = 0;
    switch (model) {
      case Model::bgnbd:
        value = loyalty::bgnbd_expected_purchases_unconditional({p[0], p[1], p[2], p[3]}, t);
        break;
      case Model::mbgnbd:
        value = loyalty::mbgnbd_expected_purchases_unconditional({p[0], p[1], p[2], p[3]}, t);
        break;
      case Model::pareto_nbd:
        value = loyalty::pareto_nbd_expected_purchases_unconditional({p[0], p[1], p[2], p[3]}, t);
        break;
      case Model::bgbb:
        value = loyalty::bgbb_expected_purchases_unconditional({p[0], p[1], p[2], p[3]}, t);
        break;
    }
    return Float8GetDatum(value);
  });
}

// P(X(t) = k) of a customer just acquired.
Datum probability_of_purchases(FunctionCallInfo fcinfo, Model model) {
  const double* p = model_parameters(fcinfo, model);
  const double t = PG_GETARG_FLOAT8(1);
  const int32 k = PG_GETARG_INT32(2);
  return cpp_boundary([&] {
    double value = 0;
    switch (model) {
      case Model::bgnbd:
        value = loyalty::bgnbd_probability_of_purchases({p[0], p[1], p[2], p[3]}, t, k);
        break;
      case Model::mbgnbd:
        value = loyalty::mbgnbd_probability_of_purchases({p[0], p[1], p[2], p[3]}, t, k);
        break;
      case Model::pareto_nbd:
        value = loyalty::pareto_nbd_probability_of_purchases({p[0], p[1], p[2], p[3]}, t, k);
        break;
      case Model::bgbb:
        value = loyalty::bgbb_probability_of_purchases({p[0], p[1], p[2], p[3]}, t, k);
        break;
    }
    return Float8GetDatum(value);
  });
}

}  // namespace

extern "C" {

#define LOYALTY_PREDICTIONS_OF(model)                                          \
  PG_FUNCTION_INFO_V1(loyalty_##model##_p_alive);                              \
  Datum loyalty_##model##_p_alive(PG_FUNCTION_ARGS) {                          \
    return p_alive(fcinfo, Model::model, false);                               \
  }                                                                            \
  PG_FUNCTION_INFO_V1(loyalty_##model##_churn_probability);                    \
  Datum loyalty_##model##_churn_probability(PG_FUNCTION_ARGS) {                \
    return p_alive(fcinfo, Model::model, true);                                \
  }                                                                            \
  PG_FUNCTION_INFO_V1(loyalty_##model##_expected_purchases);                   \
  Datum loyalty_##model##_expected_purchases(PG_FUNCTION_ARGS) {               \
    return expected_purchases(fcinfo, Model::model);                           \
  }                                                                            \
  PG_FUNCTION_INFO_V1(loyalty_##model##_expected_purchases_unconditional);     \
  Datum loyalty_##model##_expected_purchases_unconditional(PG_FUNCTION_ARGS) { \
    return expected_purchases_unconditional(fcinfo, Model::model);             \
  }                                                                            \
  PG_FUNCTION_INFO_V1(loyalty_##model##_probability_of_purchases);             \
  Datum loyalty_##model##_probability_of_purchases(PG_FUNCTION_ARGS) {         \
    return probability_of_purchases(fcinfo, Model::model);                     \
  }

LOYALTY_PREDICTIONS_OF(bgnbd)
LOYALTY_PREDICTIONS_OF(mbgnbd)
LOYALTY_PREDICTIONS_OF(pareto_nbd)
LOYALTY_PREDICTIONS_OF(bgbb)

#undef LOYALTY_PREDICTIONS_OF

// expected_spend(gamma_gamma_model, frequency, monetary): E[M | x, m]; the population mean when x = 0.
PG_FUNCTION_INFO_V1(loyalty_gamma_gamma_expected_spend);
Datum loyalty_gamma_gamma_expected_spend(PG_FUNCTION_ARGS) {
  const double* p = cached_model_parameters(fcinfo, 0, 0, 3, "gamma_gamma_model");
  const double x = PG_GETARG_FLOAT8(1), m = PG_GETARG_FLOAT8(2);
  return cpp_boundary([&] {
    return Float8GetDatum(loyalty::gamma_gamma_expected_spend({p[0], p[1], p[2]}, x, m));
  });
}

}  // extern "C"
