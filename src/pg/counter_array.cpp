#include "counter_array.hpp"

#include "counter_state.hpp"

namespace loyalty {
namespace pg {

namespace {

double* checked_shape(ArrayType* array, int length, const char* what) {
  if (ARR_NDIM(array) != 1 || ARR_DIMS(array)[0] != length || ARR_HASNULL(array) ||
      ARR_ELEMTYPE(array) != FLOAT8OID)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("invalid %s state: expected a float8 array of %d elements without NULLs", what, length)));
  return reinterpret_cast<double*>(ARR_DATA_PTR(array));
}

}  // namespace

double* counter_array_arg(FunctionCallInfo fcinfo, int argno, int length, int counters, const char* what,
                          ArrayType** array_out) {
  ArrayType* array =
      AggCheckCallContext(fcinfo, nullptr) ? PG_GETARG_ARRAYTYPE_P(argno) : PG_GETARG_ARRAYTYPE_P_COPY(argno);
  double* values = checked_shape(array, length, what);
  if (!counter_state_is_valid(values, counters))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid %s state: counters must be non-negative whole numbers", what)));
  if (array_out) *array_out = array;
  return values;
}

double* counter_array_transition_arg(FunctionCallInfo fcinfo, int length, int counters, const char* what,
                                     ArrayType** array_out) {
  if (!AggCheckCallContext(fcinfo, nullptr))
    return counter_array_arg(fcinfo, 0, length, counters, what, array_out);
  *array_out = PG_GETARG_ARRAYTYPE_P(0);
  return checked_shape(*array_out, length, what);
}

ArrayType* counter_array_zeroed(MemoryContext context, int length) {
  const Size bytes = ARR_OVERHEAD_NONULLS(1) + sizeof(double) * length;
  auto* array = static_cast<ArrayType*>(MemoryContextAllocZero(context, bytes));
  SET_VARSIZE(array, bytes);
  array->ndim = 1;
  array->dataoffset = 0;
  array->elemtype = FLOAT8OID;
  ARR_DIMS(array)[0] = length;
  ARR_LBOUND(array)[0] = 1;
  return array;
}

ArrayType* counter_array_make(const double* values, int length) {
  Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * length));
  for (int i = 0; i < length; ++i) elements[i] = Float8GetDatum(values[i]);
  return construct_array(elements, length, FLOAT8OID, sizeof(double), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

}  // namespace pg
}  // namespace loyalty
