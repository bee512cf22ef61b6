#include "fit_diagnostics.hpp"

#include <algorithm>
#include <cmath>

namespace loyalty {

std::vector<double> objective_hessian(const Objective& objective, const std::vector<double>& u) {
  const size_t k = u.size();
  const double step = 1e-4;
  std::vector<double> h(k * k), g_up(k), g_down(k);
  for (size_t j = 0; j < k; ++j) {
    std::vector<double> up = u, down = u;
    up[j] += step;
    down[j] -= step;
    // A point the objective rejects leaves the gradient untouched: NaN then fails the checks that use h.
    std::fill(g_up.begin(), g_up.end(), std::nan(""));
    std::fill(g_down.begin(), g_down.end(), std::nan(""));
    objective(up, &g_up);
    objective(down, &g_down);
    for (size_t i = 0; i < k; ++i) h[i * k + j] = (g_up[i] - g_down[i]) / (2 * step);
  }
  for (size_t i = 0; i < k; ++i)
    for (size_t j = 0; j < i; ++j) h[i * k + j] = h[j * k + i] = (h[i * k + j] + h[j * k + i]) / 2;
  return h;
}

namespace {

// In-place Cholesky factor L (lower triangle) of the k x k matrix a; false unless every pivot exceeds
// `min_pivot` (the pivots are the conditional curvatures).
bool cholesky(std::vector<double>& a, size_t k, double min_pivot) {
  for (size_t c = 0; c < k; ++c) {
    double pivot = a[c * k + c];
    for (size_t m = 0; m < c; ++m) pivot -= a[c * k + m] * a[c * k + m];
    if (!std::isfinite(pivot) || pivot <= min_pivot) return false;
    const double root = std::sqrt(pivot);
    a[c * k + c] = root;
    for (size_t i = c + 1; i < k; ++i) {
      double v = a[i * k + c];
      for (size_t m = 0; m < c; ++m) v -= a[i * k + m] * a[c * k + m];
      a[i * k + c] = v / root;
    }
  }
  return true;
}

}  // namespace

bool parameters_identified(const std::vector<double>& hessian, double customers) {
  std::vector<double> a = hessian;
  const size_t k = static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(a.size()))));
  return cholesky(a, k, 1 / customers);
}

std::vector<double> newton_step(const std::vector<double>& hessian, const std::vector<double>& gradient) {
  const size_t k = gradient.size();
  std::vector<double> l = hessian;
  if (!cholesky(l, k, 0)) return {};
  std::vector<double> y(k), x(k);
  for (size_t i = 0; i < k; ++i) {  // L y = -g
    double v = -gradient[i];
    for (size_t m = 0; m < i; ++m) v -= l[i * k + m] * y[m];
    y[i] = v / l[i * k + i];
  }
  for (size_t i = k; i-- > 0;) {  // L^T x = y
    double v = y[i];
    for (size_t m = i + 1; m < k; ++m) v -= l[m * k + i] * x[m];
    x[i] = v / l[i * k + i];
  }
  for (double xi : x)
    if (!std::isfinite(xi)) return {};
  return x;
}

}  // namespace loyalty
