// Gauss hypergeometric function 2F1(a, b; c; z) for real arguments, as the BTYD models need it.
// Boost 1.74 has no dedicated 2F1 and its hypergeometric_pFq loses accuracy as z -> 1, so we implement it
// (series for small z, classical linear transformations / integral representation near z = 1).
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
