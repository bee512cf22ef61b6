// Normal-approximation confidence intervals.
//
// Pure C++: no PostgreSQL header.
#pragma once

namespace loyalty {

// z such that P(-z < Z < z) = confidence for a standard normal Z (1.95996... for 0.95), from Boost.Math's
// normal quantile. confidence must lie strictly between 0 and 1, else std::invalid_argument.
double two_sided_normal_quantile(double confidence);

}  // namespace loyalty
