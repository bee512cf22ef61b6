// The binding's one table of models, keyed by the SQL type of a fitted model ("bgnbd_model", ...): each
// entry joins the core's description (src/core/model.hpp) to what only the binding knows, the code that the
// model's aggregate states carry and the names of its SQL aggregates (for messages). Every SQL entry point of
// the models (fits, likelihood aggregates, predictions, CLV, simulators, scoring windows, sBG) finds its
// model here and calls the description; adding a model adds one line to the table (docs/contributing.md).
#pragma once

#include "model.hpp"

#include "boundary.hpp"
#include "model_fit_state.hpp"
#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

struct BoundModel {
  const char* sql_type;         // the composite type, the key
  uint32 state_code;            // FitModel written in fit and likelihood states; 0: the model has none (sBG)
  const char* fit_name;         // the fit aggregate, e.g. "bgnbd_fit"
  const char* likelihood_name;  // the log-likelihood aggregate, e.g. "bgnbd_log_likelihood"
  const ModelDescription* model;
};

// The entry of `sql_type`; std::logic_error when there is none (a binding bug).
const BoundModel& bound_model(const char* sql_type);

// The entry whose state code is `code`, or nullptr.
const BoundModel* bound_model_of_state(double code);

}  // namespace pg
}  // namespace loyalty

// Defines the SQL entry point loyalty_<name>_<what> (the C symbol that src/sql references) as
// handler(fcinfo, the table's entry of SQL type <name>_model).
#define LOYALTY_MODEL_ENTRY(name, what, handler)                        \
  LOYALTY_SQL_FUNCTION(loyalty_##name##_##what) {                       \
    return handler(fcinfo, ::loyalty::pg::bound_model(#name "_model")); \
  }
