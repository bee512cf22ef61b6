// Aggregate states that are fixed-length float8[] arrays of counters and parameters
// (src/core/counter_state.hpp), for the model binding files; new code uses float8_state.hpp directly.
//
// Each helper runs inside cpp_boundary: within a LOYALTY_SQL_FUNCTION body its errors are C++ exceptions that
// reach the body's boundary; called from C-style code outside any boundary it reports them with
// ereport(ERROR) from a frame where no C++ object is alive (cpp_boundary's nesting rule, boundary.hpp).
#pragma once

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// The state argument `argno` as a float8[] of exactly `length` elements with valid counters, or ERROR 22023.
// In aggregate context the array is the aggregate's own (modified in place); called directly from SQL with
// `array_out` it is copied first, so that a user's value is never changed.
double* counter_array_arg(FunctionCallInfo fcinfo, int argno, int length, int counters, const char* what,
                          ArrayType** array_out);

// The state argument 0 of a transition or inverse transition function. Inside an aggregate the state was made
// by the aggregate's own functions from a validated start, so only its shape is checked (this runs once per
// row and must be cheap); called directly from SQL it is copied and fully checked, as counter_array_arg does.
double* counter_array_transition_arg(FunctionCallInfo fcinfo, int length, int counters, const char* what,
                                     ArrayType** array_out);

// A new float8[] of `length` zeros in `context` (an aggregate copies a state returned from another context
// into its own and frees the old one, so growing states may be allocated in the current context).
ArrayType* counter_array_zeroed(MemoryContext context, int length);

// The elements of a float8[] without NULLs.
inline double* counter_array_values(ArrayType* array) {
  return reinterpret_cast<double*>(ARR_DATA_PTR(array));
}

// A new float8[] holding `values`.
ArrayType* counter_array_make(const double* values, int length);

}  // namespace pg
}  // namespace loyalty
