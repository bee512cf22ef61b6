#include "optimizer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace {

// Rosenbrock's function: minimum 0 at (1, 1) (closed form).
double rosenbrock(const std::vector<double>& x, std::vector<double>* g) {
  const double a = 1 - x[0], b = x[1] - x[0] * x[0];
  if (g) {
    (*g)[0] = -2 * a - 400 * x[0] * b;
    (*g)[1] = 200 * b;
  }
  return a * a + 100 * b * b;
}

TEST(Minimize, FindsRosenbrockMinimumWithGradient) {
  loyalty::OptimizerResult r = loyalty::minimize(rosenbrock, {-1.2, 1.0});
  EXPECT_TRUE(r.converged) << r.status;
  EXPECT_NEAR(r.x[0], 1, 1e-6);
  EXPECT_NEAR(r.x[1], 1, 1e-6);
}

TEST(Minimize, FindsRosenbrockMinimumWithoutGradient) {
  loyalty::OptimizerOptions options;
  options.use_gradient = false;
  loyalty::OptimizerResult r = loyalty::minimize(
      [](const std::vector<double>& x, std::vector<double>*) { return rosenbrock(x, nullptr); }, {-1.2, 1.0},
      options);
  EXPECT_TRUE(r.converged) << r.status;
  EXPECT_NEAR(r.x[0], 1, 1e-4);
  EXPECT_NEAR(r.x[1], 1, 1e-4);
}

TEST(Minimize, ExceptionFromTheInterruptCheckCrossesNloptAndIsRethrown) {
  loyalty::OptimizerOptions options;
  int calls = 0;
  options.check_interrupt = [&] {
    if (++calls == 3) throw std::runtime_error("cancelled");
  };
  EXPECT_THROW(loyalty::minimize(rosenbrock, {-1.2, 1.0}, options), std::runtime_error);
  EXPECT_EQ(calls, 3);
}

TEST(Minimize, EvaluationLimitIsReportedAsNotConverged) {
  loyalty::OptimizerOptions options;
  options.max_evaluations = 3;
  loyalty::OptimizerResult r = loyalty::minimize(rosenbrock, {-1.2, 1.0}, options);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.status, "evaluation limit reached");
}

TEST(NumericGradient, MatchesTheAnalyticGradient) {
  std::vector<double> x = {0.3, -0.7}, g(2);
  rosenbrock(x, &g);
  std::vector<double> n =
      loyalty::numeric_gradient([](const std::vector<double>& p) { return rosenbrock(p, nullptr); }, x);
  EXPECT_NEAR(n[0], g[0], 1e-5);
  EXPECT_NEAR(n[1], g[1], 1e-5);
}

}  // namespace
