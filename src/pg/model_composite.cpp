#include "model_composite.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "boundary.hpp"

namespace loyalty {
namespace pg {

Datum model_composite_make(FunctionCallInfo fcinfo, const double* parameters, int count,
                           const ModelDiagnostics& diagnostics) {
  Datum values[kMaxModelParameters + 4];
  bool nulls[kMaxModelParameters + 4] = {};
  for (int i = 0; i < count; ++i) values[i] = Float8GetDatum(parameters[i]);
  values[count] = Float8GetDatum(diagnostics.log_likelihood);
  values[count + 1] = Int64GetDatum(diagnostics.customers);
  values[count + 2] = BoolGetDatum(diagnostics.converged);
  values[count + 3] = Int32GetDatum(diagnostics.iterations);
  return postgres_guard([&]() -> Datum {
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != count + 4)
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                      errmsg("function must return a model composite of %d fields", count + 4)));
    tupdesc = BlessTupleDesc(tupdesc);
    return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
  });
}

Datum model_composite_of_fit(FunctionCallInfo fcinfo, int count, const ModelParameters& parameters,
                             const FitReport& report) {
  ModelDiagnostics diagnostics;
  diagnostics.log_likelihood = report.log_likelihood;
  diagnostics.customers = static_cast<int64>(std::llround(report.customers));
  diagnostics.converged = report.converged;
  diagnostics.iterations = report.iterations;
  return model_composite_make(fcinfo, parameters.data(), count, diagnostics);
}

void model_composite_parameters(HeapTupleHeader model, double* parameters, int count, const char* what) {
  postgres_guard([&] {
    for (int i = 0; i < count; ++i) {
      bool isnull;
      const Datum d = GetAttributeByNum(model, static_cast<AttrNumber>(i + 1), &isnull);
      parameters[i] = isnull ? NAN : DatumGetFloat8(d);
    }
  });
  for (int i = 0; i < count; ++i)
    if (!(std::isfinite(parameters[i]) && parameters[i] > 0))
      throw std::invalid_argument(std::string("invalid ") + what + ": parameter " + std::to_string(i + 1) +
                                  " must be a positive finite number");
}

}  // namespace pg
}  // namespace loyalty
