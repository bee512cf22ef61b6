// Sums of gamma-function ratios over a number of periods that may be astronomically large (BG/BB's sums over
// opportunities, up to n = 1e308), in bounded work.
//
// The series is S(M) = sum_{j=0}^{M-1} f_j with
//   f_j = prod_k [Gamma(j + p_k) / Gamma(p_k)] [Gamma(q_k) / Gamma(j + q_k)],   k < pairs,
// so f_0 = 1 and f_(j+1) / f_j = prod_k (j + p_k) / (j + q_k). For large j, f_j ~ C j^(-s) with
// s = sum_k (q_k - p_k) (Stirling), and the caller guarantees s > 1: the series converges.
//
// Work: the first terms are summed exactly from their ratios (as the models always did), stopping as soon as
// the rest is provably below 1e-17 of the sum (at once when every pair falls, p_k <= q_k; past 2,000 terms
// otherwise); from j = K on
// (K >= 2,000, larger when the shifts are larger, at most 2^22) the remaining terms are either negligible
// (the sum stops) or replaced by the Euler-Maclaurin formula (Abramowitz & Stegun 23.1.30)
//   sum_{j=K}^{M-1} f_j = int_K^M f + (f(K) - f(M)) / 2 + (f'(M) - f'(K)) / 12 + O(f'''(K)),
// with f continued to real j by the gamma function. f''' / f = O((s / K)^3), so the neglected term is below
// 1e-12 of the tail. The integral is taken by 20-point Gauss-Legendre panels in u = log(j / K) up to
// j = 1e17 max(1, shifts), and beyond in closed form from the power law f = C j^(-s), whose relative error
// there is O(shifts / j) < 1e-16. So the cost of a sum is at most a few thousand ratio steps plus a few
// hundred gamma-function evaluations, whatever M.
//
// Pure C++: no PostgreSQL header.
#pragma once

namespace loyalty {

constexpr int kMaxGammaRatioPairs = 3;

struct GammaRatioSeries {
  int pairs = 0;
  double p[kMaxGammaRatioPairs] = {0, 0, 0};  // numerator shifts, > 0
  double q[kMaxGammaRatioPairs] = {0, 0, 0};  // denominator shifts, > 0
};

struct GammaRatioSum {
  double log_sum = 0;  // log S(M)
  // With derivatives: d log S / d p_k and d log S / d q_k.
  double d_p[kMaxGammaRatioPairs] = {0, 0, 0};
  double d_q[kMaxGammaRatioPairs] = {0, 0, 0};
};

// Running sums of the series and of its derivative series, all scaled by exp(-log_scale).
struct GammaRatioRunningSums {
  double log_scale = 0;
  double value = 0;
  double p[kMaxGammaRatioPairs] = {0, 0, 0};  // sum f_j (psi(j + p_k) - psi(p_k))
  double q[kMaxGammaRatioPairs] = {0, 0, 0};  // sum f_j (psi(j + q_k) - psi(q_k))
};

// S(M) of one series at non-decreasing counts M, each continued from the previous one: the cost of all of
// them is that of the largest alone plus, per count, at most ~1,000 exact terms or one tail from the previous
// count. (A likelihood's rows that share a series differ only in the count.) The first count, and any count
// up to K, gives exactly gamma_ratio_sum's value; beyond K, a short step from the previous count sums its
// terms exactly where gamma_ratio_sum takes them into the Euler-Maclaurin tail, a difference of that
// formula's error (~1e-14 of the tail).
class GammaRatioPrefixSums {
 public:
  GammaRatioPrefixSums(const GammaRatioSeries& series, bool derivatives);
  GammaRatioSum at(double count);  // count >= 1 and >= the previous count
  // Work done so far, in ratio steps (a term's gamma functions count as 50): for interrupt checks.
  double work() const { return work_; }

 private:
  using Sums = GammaRatioRunningSums;
  bool step(Sums* target);
  GammaRatioSeries s_;
  bool derivatives_;
  bool valid_ = false, falling_ = true, done_ = false, term_known_ = true;
  double sigma_ = 0, max_shift_ = 0, exact_limit_ = 0;
  // The terms below K, and those beyond (chained steps and tails) apart: a million terms of 1e-17 added one
  // by one to a sum near 1 would each be rounded away.
  Sums head_, tail_;
  double j_ = 0, term_ = 1, steps_since_anchor_ = 0, work_ = 0;
  double harmonic_p_[kMaxGammaRatioPairs] = {0, 0, 0}, harmonic_q_[kMaxGammaRatioPairs] = {0, 0, 0};
};

// log S(count) (count >= 1, a whole number; may be up to 1e308), and its derivatives in the shifts when
// `derivatives`. NaN when a shift is not positive and finite or s <= 1.
GammaRatioSum gamma_ratio_sum(const GammaRatioSeries& series, double count, bool derivatives);

// log Gamma(z + d) - log Gamma(z) for z > 0, z + d > 0, of any size: Boost's tgamma_delta_ratio where it is
// representable, the Stirling series where both arguments are large (where lgamma itself overflows, beyond
// ~2.5e305), the lgamma difference otherwise.
double log_gamma_ratio(double z, double d);

// log_gamma_ratio(z + m, c) - log_gamma_ratio(z, c), m >= 0, without the cancellation of the plain difference
// when z is large next to m: there psi(t + c) - psi(t) = c / (t + (c-1)/2) + O(t^-3) (A&S 6.3.18), whose
// integral over t in [z, z + m] is c log1p(m / (z + (c-1)/2)).
double log_gamma_ratio_difference(double z, double m, double c);

}  // namespace loyalty
