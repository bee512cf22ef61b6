// The table of models, keyed by the SQL type of a fitted model. Adding a model: its core file defines its
// ModelDescription, and one line here lists it (docs/contributing.md).
#include <cstring>

#include "model.hpp"

namespace loyalty {

extern const ModelDescription kBgNbdModel, kMbgNbdModel, kParetoNbdModel, kBgBbModel, kGammaGammaModel,
    kSbgModel;

const std::vector<const ModelDescription*>& model_descriptions() {
  static const std::vector<const ModelDescription*> models = {
      &kBgNbdModel, &kMbgNbdModel, &kParetoNbdModel, &kBgBbModel, &kGammaGammaModel, &kSbgModel};
  return models;
}

const ModelDescription* find_model(const char* sql_type) {
  for (const ModelDescription* model : model_descriptions())
    if (std::strcmp(model->sql_type, sql_type) == 0) return model;
  return nullptr;
}

}  // namespace loyalty
