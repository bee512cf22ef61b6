// Aggregate states that are float8[] arrays (counters and parameters, src/core/counter_state.hpp; the cohort
// and sBG histograms; the retention series): the one check of their shape, and how a state argument is
// taken.
//
// Everything here throws C++ exceptions (SqlStateError 22023 "invalid <what> state: ...") and guards its
// PostgreSQL calls: call it inside a LOYALTY_SQL_FUNCTION body. Inside an aggregate the per-row path makes no
// PostgreSQL call that can raise: the aggregate's own state is a flat array (detoasting is a no-op on it).
#pragma once

#include "arguments.hpp"
#include "boundary.hpp"

namespace loyalty {
namespace pg {

// The lengths a state may have, and the words its errors use:
//   "invalid <what> state: expected a float8 array of <lengths> without NULLs".
struct Float8StateShape {
  const char* what;     // "nps", "retention_series"
  int min_length;       // inclusive
  int max_length;       // inclusive
  int step;             // allowed lengths: min_length, min_length + step, ... (1: every length between)
  const char* lengths;  // as the message says them ("odd length"); nullptr: "<min_length> elements"
  bool empty_allowed;   // '{}' (no dimension) is a state of length 0
};

// A fixed length of `length` elements.
constexpr Float8StateShape float8_state_of_length(const char* what, int length) {
  return Float8StateShape{what, length, length, 1, nullptr, false};
}

// A state argument: the array (the aggregate's own, or a copy that may be modified and returned), its values
// and its length.
struct Float8State {
  ArrayType* array;
  double* values;
  int length;
};

// Throws SqlStateError 22023 "invalid <what> state: <why>".
[[noreturn]] void invalid_float8_state(const char* what, const char* why);

[[noreturn]] void invalid_float8_state_shape(const Float8StateShape& shape);

// The values of `array` when its shape is allowed; otherwise invalid_float8_state_shape. Cannot raise.
inline double* float8_state_values(ArrayType* array, const Float8StateShape& shape, int* length_out) {
  const int ndim = ARR_NDIM(array);
  const int length = ndim == 1 ? ARR_DIMS(array)[0] : 0;
  const bool shape_ok = ndim == 1 ? length >= shape.min_length && length <= shape.max_length &&
                                        (length - shape.min_length) % shape.step == 0 &&
                                        !ARR_HASNULL(array) && ARR_ELEMTYPE(array) == FLOAT8OID
                                  : ndim == 0 && shape.empty_allowed && shape.min_length == 0;
  if (unlikely(!shape_ok)) invalid_float8_state_shape(shape);
  *length_out = length;
  return reinterpret_cast<double*>(ARR_DATA_PTR(array));
}

// State argument `argno`. Inside an aggregate it is the aggregate's own array, modified in place; called
// directly from SQL it is copied first when `writable`, so that a user's value is never changed.
inline Float8State float8_state_arg(FunctionCallInfo fcinfo, int argno, const Float8StateShape& shape,
                                    bool writable) {
  Float8State state;
  const bool copy = writable && !AggCheckCallContext(fcinfo, nullptr);
  state.array = array_argument(fcinfo, argno, copy);
  state.values = float8_state_values(state.array, shape, &state.length);
  return state;
}

// A state argument whose first `counters` values are counters, fully checked (a final or combine function's
// argument, which may come from a user or another server).
inline Float8State float8_state_counter_arg(FunctionCallInfo fcinfo, int argno, const Float8StateShape& shape,
                                            int counters, bool writable);

// State argument 0 of a transition or inverse transition function. Inside an aggregate the state was made by
// the aggregate's own functions from a validated start, so only its shape is checked (once per row: no
// PostgreSQL call, no guard); called directly from SQL it is copied and fully checked.
inline Float8State float8_state_transition_arg(FunctionCallInfo fcinfo, const Float8StateShape& shape,
                                               int counters);

// Throws "invalid <what> state: counters must be non-negative whole numbers (at most 2^53)" unless the first `counters`
// values are (src/core/counter_state.hpp).
void float8_state_check_counters(const double* values, int counters, const char* what);

// A new float8[] of `length` zeros in `context`, or std::bad_alloc.
ArrayType* float8_state_zeroed(MemoryContext context, int length);

// A new float8[] (current memory context) holding `values`, or std::bad_alloc.
ArrayType* float8_array_make(const double* values, int length);

inline Float8State float8_state_counter_arg(FunctionCallInfo fcinfo, int argno, const Float8StateShape& shape,
                                            int counters, bool writable) {
  const Float8State state = float8_state_arg(fcinfo, argno, shape, writable);
  float8_state_check_counters(state.values, counters, shape.what);
  return state;
}

inline Float8State float8_state_transition_arg(FunctionCallInfo fcinfo, const Float8StateShape& shape,
                                               int counters) {
  if (!AggCheckCallContext(fcinfo, nullptr))
    return float8_state_counter_arg(fcinfo, 0, shape, counters, true);
  Float8State state;
  state.array = array_argument(fcinfo, 0);
  state.values = float8_state_values(state.array, shape, &state.length);
  return state;
}

}  // namespace pg
}  // namespace loyalty
