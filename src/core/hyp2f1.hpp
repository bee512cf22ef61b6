// Gauss hypergeometric function 2F1(a, b; c; z) for real arguments, as the BTYD models need it.
// Hand-written because Boost 1.74 has no dedicated 2F1 and its hypergeometric_pFq stops silently with a wrong
// value as z -> 1 (measured: 1.6e-2 relative error for 2F1(1, 1; 2; 0.999999), where this code is exact to
// ~1e-15): series for small z, classical linear transformations / integral representation near z = 1.
//
// Pure C++: no PostgreSQL header.
#pragma once

namespace loyalty {

// log 2F1(a, b; c; z) for 0 <= z < 1, a, b > 0, c > 0 (the function is then positive). Returns NaN when the
// arguments are outside that domain or the value cannot be computed to double accuracy; never throws.
double log_hyp2f1(double a, double b, double c, double z);

// 2F1(a, b; c; z) = exp(log_hyp2f1(...)) on the same domain.
double hyp2f1(double a, double b, double c, double z);

}  // namespace loyalty
