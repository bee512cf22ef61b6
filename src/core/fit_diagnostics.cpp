#include "fit_diagnostics.hpp"

#include <algorithm>
#include <cmath>

namespace loyalty {

bool parameters_identified(const Objective& objective, const std::vector<double>& u, double customers) {
  const size_t k = u.size();
  const double step = 1e-4;
  std::vector<double> h(k * k), g_up(k), g_down(k);
  for (size_t j = 0; j < k; ++j) {
    std::vector<double> up = u, down = u;
    up[j] += step;
    down[j] -= step;
    // A point the objective rejects leaves the gradient untouched: NaN then fails the test below.
    std::fill(g_up.begin(), g_up.end(), std::nan(""));
    std::fill(g_down.begin(), g_down.end(), std::nan(""));
    objective(up, &g_up);
    objective(down, &g_down);
    for (size_t i = 0; i < k; ++i) h[i * k + j] = (g_up[i] - g_down[i]) / (2 * step);
  }
  for (size_t i = 0; i < k; ++i)
    for (size_t j = 0; j < i; ++j) h[i * k + j] = h[j * k + i] = (h[i * k + j] + h[j * k + i]) / 2;
  for (size_t c = 0; c < k; ++c) {  // Cholesky-style elimination; pivots are conditional curvatures
    const double pivot = h[c * k + c];
    if (!std::isfinite(pivot) || pivot <= 1 / customers) return false;
    for (size_t i = c + 1; i < k; ++i) {
      const double f = h[i * k + c] / pivot;
      for (size_t j = c; j < k; ++j) h[i * k + j] -= f * h[c * k + j];
    }
  }
  return true;
}

}  // namespace loyalty
