// Model composites (bgnbd_model, pareto_nbd_model, ..., src/sql/400_model_types.sql): the parameters first,
// then log_likelihood, customers, converged, iterations. Safe inside LOYALTY_SQL_FUNCTION bodies: the
// PostgreSQL calls run in postgres_guard, the binding's own errors are C++ exceptions.
#pragma once

#include "model.hpp"

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

constexpr int kMaxModelParameters = loyalty::kMaxModelParameters;

struct ModelDiagnostics {
  double log_likelihood;
  int64 customers;
  bool converged;
  int32 iterations;
};

// The function's composite result holding `count` parameters and the diagnostics.
Datum model_composite_make(FunctionCallInfo fcinfo, const double* parameters, int count,
                           const ModelDiagnostics& diagnostics);

// The composite result of a fit.
Datum model_composite_of_fit(FunctionCallInfo fcinfo, int count, const ModelParameters& parameters,
                             const FitReport& report);

// Reads the first `count` parameters of a model composite argument into `parameters`. Each must be non-NULL,
// finite and positive, else std::invalid_argument (22023) naming the model type (`what`).
void model_composite_parameters(HeapTupleHeader model, double* parameters, int count, const char* what);

}  // namespace pg
}  // namespace loyalty
