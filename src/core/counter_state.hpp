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

// Doubles count every whole number exactly up to 2^53; a counter beyond it would be rounded (and converted to
// int64 out of range).
constexpr double kMaxExactCount = 9007199254740992.0;  // 2^53


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
// Throws std::out_of_range (22003) when a sum passes 2^53.
inline void counter_state_combine(double* into, const double* from, int counters, int parameters,
                                  const char* what) {
  for (int i = 0; i < counters; ++i) {
    into[i] += from[i];
    if (into[i] > kMaxExactCount)
      throw std::out_of_range("a counter of the aggregate state passes 2^53 rows, beyond exact counting");
  }
  for (int i = counters; i < counters + parameters; ++i)
    if (!std::isnan(from[i])) counter_state_set_parameter(&into[i], from[i], what);
}

// A state read back from text (a user, or a distributed engine) is trusted only when its counters are
// non-negative whole numbers of at most 2^53.
inline bool counter_state_is_valid(const double* values, int counters) {
  for (int i = 0; i < counters; ++i)
    if (!(values[i] >= 0 && values[i] <= kMaxExactCount) || values[i] != std::floor(values[i])) return false;
  return true;
}

}  // namespace loyalty
