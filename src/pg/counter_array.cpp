#include "counter_array.hpp"

#include "boundary.hpp"
#include "float8_state.hpp"

namespace loyalty {
namespace pg {

double* counter_array_arg(FunctionCallInfo fcinfo, int argno, int length, int counters, const char* what,
                          ArrayType** array_out) {
  double* values = nullptr;
  cpp_boundary([&] {
    const Float8State state =
        float8_state_arg(fcinfo, argno, float8_state_of_length(what, length), array_out != nullptr);
    float8_state_check_counters(state.values, counters, what);
    if (array_out) *array_out = state.array;
    values = state.values;
    return Datum(0);
  });
  return values;
}

double* counter_array_transition_arg(FunctionCallInfo fcinfo, int length, int counters, const char* what,
                                     ArrayType** array_out) {
  if (!AggCheckCallContext(fcinfo, nullptr))
    return counter_array_arg(fcinfo, 0, length, counters, what, array_out);
  double* values = nullptr;
  cpp_boundary([&] {
    const Float8State state = float8_state_arg(fcinfo, 0, float8_state_of_length(what, length), true);
    *array_out = state.array;
    values = state.values;
    return Datum(0);
  });
  return values;
}

ArrayType* counter_array_zeroed(MemoryContext context, int length) {
  ArrayType* array = nullptr;
  cpp_boundary([&] {
    array = float8_state_zeroed(context, length);
    return Datum(0);
  });
  return array;
}

ArrayType* counter_array_make(const double* values, int length) {
  ArrayType* array = nullptr;
  cpp_boundary([&] {
    array = float8_array_make(values, length);
    return Datum(0);
  });
  return array;
}

}  // namespace pg
}  // namespace loyalty
