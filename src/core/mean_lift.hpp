// Before/after and treated/control monitoring of a mean (issue 12): average order value, orders per customer,
// revenue per customer... The sibling of retention_lift.hpp, which covers proportions.
//
// Each group is summarised by its count n, mean and M2 = sum of squared deviations from the mean, updated one
// value at a time by Welford's method and merged by Chan, Golub & LeVeque's pairwise formula
// (Chan, Golub & LeVeque 1979, "Updating formulae and a pairwise algorithm for computing sample variances"):
//   n = n_a + n_b, delta = mean_b - mean_a, mean = mean_a + delta n_b / n, M2 = M2_a + M2_b + delta^2 n_a n_b
//   / n.
// The comparison is Welch's unequal-variances t-test (Welch 1947, Biometrika 34, 28-35):
//   s_g^2 = M2_g / (n_g - 1), se = sqrt(s_t^2 / n_t + s_c^2 / n_c)
//   difference = mean_t - mean_c, t = difference / se
//   df (Welch-Satterthwaite) = se^4 / ((s_t^2/n_t)^2 / (n_t - 1) + (s_c^2/n_c)^2 / (n_c - 1))
//   p-value = 2 P(T_df > |t|), interval difference -/+ t_{df, (1 + confidence)/2} se
// as scipy.stats.ttest_ind(equal_var=False) computes them. Student's t is Boost.Math's, through
// math_policy.hpp.
//
// Pure C++: no PostgreSQL header.
#pragma once

namespace loyalty {

// Layout of a mean_lift state (float8[]): treated n, mean, M2, control n, mean, M2 (then a confidence level).
enum MeanLiftSlot : int {
  kMeanLiftTreated = 0,
  kMeanLiftControl = 3,
  kMeanLiftSlots = 6,
};

struct MeanMoments {
  double n = 0, mean = 0, m2 = 0;
};

// Adds one finite value (Welford).
inline void moments_add(MeanMoments& m, double x) noexcept {
  m.n += 1;
  const double delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
}

// into += from (Chan, Golub & LeVeque).
void moments_combine(MeanMoments& into, const MeanMoments& from) noexcept;

// n a non-negative whole number, mean and M2 finite, M2 >= 0, and all zero when n = 0.
bool moments_are_valid(const MeanMoments& m) noexcept;

// Figures that cannot be computed are NaN: a standard deviation of a group of fewer than 2, the relative
// difference when the control mean is 0, the test and interval unless both groups have 2 or more values and
// the standard error is positive.
struct MeanLift {
  double treated_sd = 0, control_sd = 0;
  double difference = 0, relative_difference = 0;
  double ci_low = 0, ci_high = 0;
  double t_statistic = 0, degrees_of_freedom = 0, p_value = 0;
};

// Throws std::invalid_argument for invalid moments or a confidence level outside (0, 1).
MeanLift mean_lift(const MeanMoments& treated, const MeanMoments& control, double confidence = 0.95);

}  // namespace loyalty
