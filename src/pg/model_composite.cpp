#include "model_composite.hpp"

#include <cmath>

namespace loyalty {
namespace pg {

Datum model_composite_make(FunctionCallInfo fcinfo, const double* parameters, int count,
                           const ModelDiagnostics& diagnostics) {
  TupleDesc tupdesc;
  if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != count + 4)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("function must return a model composite of %d fields", count + 4)));
  tupdesc = BlessTupleDesc(tupdesc);
  Datum values[kMaxModelParameters + 4];
  bool nulls[kMaxModelParameters + 4] = {};
  for (int i = 0; i < count; ++i) values[i] = Float8GetDatum(parameters[i]);
  values[count] = Float8GetDatum(diagnostics.log_likelihood);
  values[count + 1] = Int64GetDatum(diagnostics.customers);
  values[count + 2] = BoolGetDatum(diagnostics.converged);
  values[count + 3] = Int32GetDatum(diagnostics.iterations);
  return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

void model_composite_parameters(HeapTupleHeader model, double* parameters, int count, const char* what) {
  for (int i = 0; i < count; ++i) {
    bool isnull;
    Datum d = GetAttributeByNum(model, static_cast<AttrNumber>(i + 1), &isnull);
    double value = isnull ? NAN : DatumGetFloat8(d);
    if (!(std::isfinite(value) && value > 0))
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("invalid %s: parameter %d must be a positive finite number", what, i + 1)));
    parameters[i] = value;
  }
}

}  // namespace pg
}  // namespace loyalty
