// Retention lift of a campaign: the retention rate of the treated customers against the control group's.
//
//   p_t = retained_t / n_t, p_c = retained_c / n_c (fractions)
//   absolute lift = p_t - p_c, relative lift = (p_t - p_c) / p_c
//   interval of the difference: Newcombe's hybrid score interval (Newcombe 1998, "Interval estimation for the
//     difference between independent proportions", Stat. Med. 17, 873-890, method 10), from the Wilson
//     intervals [l_t, u_t] and [l_c, u_c] of the two rates:
//       p_t - p_c - sqrt((p_t - l_t)^2 + (u_c - p_c)^2)  to  p_t - p_c + sqrt((u_t - p_t)^2 + (p_c - l_c)^2).
//     Unlike the Wald interval it stays inside [-1, 1] and does not shrink to a point when a rate is 0 or 1.
//   two-proportion z-test (pooled): p = (retained_t + retained_c)/(n_t + n_c),
//     z = (p_t - p_c) / sqrt(p(1-p)(1/n_t + 1/n_c)), two-sided p-value 2(1 - Phi(|z|))
// (e.g. Agresti, "Categorical Data Analysis", 3rd ed., sections 2.2 and 3.1; the normal distribution is
// Boost.Math's, through math_policy.hpp).
//
// Pure C++: no PostgreSQL header.
#pragma once

namespace loyalty {

// Index of each counter in a retention_lift state.
enum RetentionLiftCounter : int {
  kLiftTreated = 0,
  kLiftTreatedRetained = 1,
  kLiftControl = 2,
  kLiftControlRetained = 3,
  kLiftCounters = 4
};

struct RetentionLiftCounts {
  double treated = 0, treated_retained = 0, control = 0, control_retained = 0;
};

// Figures that cannot be computed (a group without customers, a control rate of 0 for the relative lift, a
// pooled rate of 0 or 1 for the z-test) are NaN.
struct RetentionLift {
  double treated_rate = 0, control_rate = 0;
  double absolute_lift = 0, relative_lift = 0;
  double difference_ci_low = 0, difference_ci_high = 0;
  double z_score = 0, p_value = 0;
};

// Throws std::invalid_argument for counts that are negative or retained counts above their group's size, or a
// confidence outside (0, 1).
RetentionLift retention_lift(const RetentionLiftCounts& counts, double confidence = 0.95);

// 2(1 - Phi(|z|)) for a standard normal Phi, from the upper tail (no cancellation for large |z|).
double two_sided_normal_p_value(double z);

}  // namespace loyalty
