// Model composites (bgnbd_model, pareto_nbd_model, ..., src/sql/400_model_types.sql): the parameters first,
// then log_likelihood, customers, converged, iterations. Plain C-style code that may ereport: call it outside
// cpp_boundary, where no C++ object is alive.
#pragma once

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

constexpr int kMaxModelParameters = 4;

struct ModelDiagnostics {
  double log_likelihood;
  int64 customers;
  bool converged;
  int32 iterations;
};

// The function's composite result holding `count` parameters and the diagnostics.
Datum model_composite_make(FunctionCallInfo fcinfo, const double* parameters, int count,
                           const ModelDiagnostics& diagnostics);

// Reads the first `count` parameters of a model composite argument into `parameters`. Each must be non-NULL,
// finite and positive, else ERROR 22023 naming the model type (`what`).
void model_composite_parameters(HeapTupleHeader model, double* parameters, int count, const char* what);

}  // namespace pg
}  // namespace loyalty
