#include "float8_state.hpp"

#include <cstring>

#include "counter_state.hpp"

#include "memory.hpp"

namespace loyalty {
namespace pg {

void invalid_float8_state(const char* what, const char* why) {
  throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE, formatted("invalid %s state: %s", what, why));
}

void invalid_float8_state_shape(const Float8StateShape& shape) {
  const std::string lengths =
      shape.lengths != nullptr ? std::string(shape.lengths) : formatted("%d elements", shape.min_length);
  throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                      formatted("invalid %s state: expected a float8 array of %s without NULLs", shape.what,
                                lengths.c_str()));
}

void float8_state_check_counters(const double* values, int counters, const char* what) {
  if (!counter_state_is_valid(values, counters))
    invalid_float8_state(what, "counters must be non-negative whole numbers (at most 2^53)");
}

ArrayType* float8_state_zeroed(MemoryContext context, int length) {
  const Size bytes = ARR_OVERHEAD_NONULLS(1) + sizeof(double) * static_cast<Size>(length);
  auto* array = static_cast<ArrayType*>(allocate(context, bytes, false, true));
  SET_VARSIZE(array, bytes);
  array->ndim = 1;
  array->dataoffset = 0;
  array->elemtype = FLOAT8OID;
  ARR_DIMS(array)[0] = length;
  ARR_LBOUND(array)[0] = 1;
  return array;
}

ArrayType* float8_array_make(const double* values, int length) {
  // The same bytes as construct_array makes for a one-dimensional float8 array without NULLs.
  ArrayType* array = float8_state_zeroed(CurrentMemoryContext, length);
  if (length > 0) memcpy(ARR_DATA_PTR(array), values, sizeof(double) * static_cast<Size>(length));
  return array;
}

}  // namespace pg
}  // namespace loyalty
