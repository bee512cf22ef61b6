// A fixed-size aggregate state made of counters followed by parameters, stored as an array of doubles:
// [count_0, ..., count_{k-1}, param_0, ..., param_{m-1}]. Counters add up when two partial states are
// combined; parameters (a confidence level, a scale) are constant for one aggregate call and must agree. A
// parameter that no row has set yet is NaN.
//
// Doubles count exactly up to 2^53 rows, and an array of doubles is a real SQL type (float8[]), which both
// PostgreSQL's parallel aggregation and distributed engines built on it (Citus) can ship between processes.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>

#include "number_text.hpp"

namespace loyalty {

// Sets parameter slot `value_slot` to `value`, or checks that it already holds it.
inline void counter_state_set_parameter(double* value_slot, double value, const char* what) {
  if (std::isnan(*value_slot)) {
    *value_slot = value;
  } else if (*value_slot != value) {
    throw std::invalid_argument(std::string(what) + " must be the same for every row of a group (" +
                                number_text(*value_slot) + " and " + number_text(value) + ")");
  }
}

// into += from, for `counters` counters and `parameters` parameters.
inline void counter_state_combine(double* into, const double* from, int counters, int parameters,
                                  const char* what) {
  for (int i = 0; i < counters; ++i) into[i] += from[i];
  for (int i = counters; i < counters + parameters; ++i)
    if (!std::isnan(from[i])) counter_state_set_parameter(&into[i], from[i], what);
}

// A state read back from text (a user, or a distributed engine) is trusted only when its counters are finite,
// non-negative whole numbers.
inline bool counter_state_is_valid(const double* values, int counters) {
  for (int i = 0; i < counters; ++i)
    if (!(values[i] >= 0) || !std::isfinite(values[i]) || values[i] != std::floor(values[i])) return false;
  return true;
}

}  // namespace loyalty
