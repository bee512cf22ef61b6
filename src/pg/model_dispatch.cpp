#include "model_dispatch.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace loyalty {
namespace pg {
namespace {

// The table (state codes are written in serialised states: never renumber them).
const BoundModel* table() {
  static BoundModel models[] = {
      {"bgnbd_model", static_cast<uint32>(FitModel::bgnbd), "bgnbd_fit", "bgnbd_log_likelihood", nullptr},
      {"mbgnbd_model", static_cast<uint32>(FitModel::mbgnbd), "mbgnbd_fit", "mbgnbd_log_likelihood", nullptr},
      {"pareto_nbd_model", static_cast<uint32>(FitModel::pareto_nbd), "pareto_nbd_fit",
       "pareto_nbd_log_likelihood", nullptr},
      {"bgbb_model", static_cast<uint32>(FitModel::bgbb), "bgbb_fit", "bgbb_log_likelihood", nullptr},
      {"gamma_gamma_model", static_cast<uint32>(FitModel::gamma_gamma), "gamma_gamma_fit",
       "gamma_gamma_log_likelihood", nullptr},
      {"sbg_model", 0, "sbg_fit", nullptr, nullptr},
      {nullptr, 0, nullptr, nullptr, nullptr},
  };
  static bool linked = false;
  if (!linked) {  // the core's descriptions, found by the same key
    for (BoundModel* m = models; m->sql_type != nullptr; ++m) m->model = find_model(m->sql_type);
    linked = true;
  }
  return models;
}

}  // namespace

const BoundModel& bound_model(const char* sql_type) {
  for (const BoundModel* m = table(); m->sql_type != nullptr; ++m)
    if (std::strcmp(m->sql_type, sql_type) == 0 && m->model != nullptr) return *m;
  throw std::logic_error(std::string("no model ") + sql_type);
}

const BoundModel* bound_model_of_state(double code) {
  for (const BoundModel* m = table(); m->sql_type != nullptr; ++m)
    if (m->state_code != 0 && static_cast<double>(m->state_code) == code) return m;
  return nullptr;
}

}  // namespace pg
}  // namespace loyalty
