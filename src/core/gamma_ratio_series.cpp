#include "gamma_ratio_series.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/quadrature/gauss.hpp>

#include "math_policy.hpp"

namespace loyalty {

double log_gamma_ratio(double z, double d) {
  if (d == 0) return 0;
  const double w = z + d;
  if (z >= 1e6 && w >= 1e6) {
    // Stirling, lgamma(x) = (x - 1/2) log x - x + log(2 pi)/2 + 1/(12 x) + O(x^-3) (A&S 6.1.41), differenced
    // without forming lgamma: log(w/z) = log1p(d/z) also when w overflows.
    const double log_ratio = std::log1p(d / z);
    return (z - 0.5) * log_ratio + d * (std::log(z) + log_ratio) - d - d / (12 * z * w);
  }
  const double r = math::tgamma_delta_ratio(z, d);  // Gamma(z) / Gamma(z + d)
  if (std::isnormal(r)) return -std::log(r);
  return math::lgamma(w) - math::lgamma(z);
}

double log_gamma_ratio_difference(double z, double m, double c) {
  if (z >= 1e6 * (1 + std::fabs(c)) && z + c > 0) return c * std::log1p(m / (z + (c - 1) / 2));
  return log_gamma_ratio(z + m, c) - log_gamma_ratio(z, c);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMinExactTerms = 2000;
constexpr double kMaxExactTerms = 4194304;  // 2^22
constexpr double kNegligible = 1e-17;
constexpr double kRescale = 1e250;
// Chained sums (GammaRatioPrefixSums): a step of at most this many terms beyond K is summed exactly, a longer
// one by its tail; the term is recomputed from its gamma functions at least every kAnchorSteps ratio steps;
// one term's gamma functions count as kTermWork steps of work.
constexpr double kChainedExactTerms = 1024;
constexpr double kAnchorSteps = 4096;
constexpr double kTermWork = 50;

// Everything of one term f(z) at real z >= 0 that the tail needs, in logs relative to f_0 = 1.
struct TermAt {
  double log_f = 0;                             // log f(z)
  double slope = 0;                             // d log f / dz = sum_k psi(z + p_k) - psi(z + q_k)
  double g_p[kMaxGammaRatioPairs] = {0, 0, 0};  // psi(z + p_k) - psi(p_k) = d log f / d p_k
  double g_q[kMaxGammaRatioPairs] = {0, 0, 0};  // psi(z + q_k) - psi(q_k) = -d log f / d q_k
  double t_p[kMaxGammaRatioPairs] = {0, 0, 0};  // trigamma(z + p_k)
  double t_q[kMaxGammaRatioPairs] = {0, 0, 0};
};

TermAt term_at(const GammaRatioSeries& s, double z, bool slope, bool derivatives) {
  TermAt t;
  for (int k = 0; k < s.pairs; ++k) {
    const double delta = s.p[k] - s.q[k];
    t.log_f += log_gamma_ratio(z + s.q[k], delta) - log_gamma_ratio(s.q[k], delta);
    if (slope || derivatives) {
      const double psi_p = math::digamma(z + s.p[k]), psi_q = math::digamma(z + s.q[k]);
      t.slope += psi_p - psi_q;
      if (derivatives) {
        t.g_p[k] = psi_p - math::digamma(s.p[k]);
        t.g_q[k] = psi_q - math::digamma(s.q[k]);
        if (slope) {  // only the endpoints' derivative terms need them
          t.t_p[k] = math::trigamma(z + s.p[k]);
          t.t_q[k] = math::trigamma(z + s.q[k]);
        }
      }
    }
  }
  return t;
}

using Sums = GammaRatioRunningSums;

// (1 - e^-y) / y and (1 - e^-y (1 + y)) / y^2, y >= 0, without cancellation for small y.
double phi1(double y) {
  return y < 1e-8 ? 1 - y / 2 : -std::expm1(-y) / y;
}
double phi2(double y) {
  if (y < 1e-3) return 0.5 - y / 3 + y * y / 8;
  return (-std::expm1(-y) - y * std::exp(-y)) / (y * y);
}

// Adds sum_{j=K}^{M-1} f_j (and the derivative series) by Euler-Maclaurin (see the header); true when the
// terms beyond the last panel are negligible, so that the sum is final for any larger M. Adds the gamma
// functions it evaluated (in kTermWork units) to *work. `before` is the sum of the terms below K, at the
// scale of *sums.
bool add_tail(const GammaRatioSeries& s, double sigma, double max_shift, double K, double M, bool derivatives,
              double before, Sums* sums, double* work) {
  const int pairs = s.pairs;
  const double scale = sums->log_scale;
  // Endpoint terms: (f(K) - f(M)) / 2 + (f'(M) - f'(K)) / 12, and the same for F = f g: F' = f (slope g +
  // trigamma).
  auto endpoint = [&](double z, double sign) {
    const TermAt t = term_at(s, z, true, derivatives);
    *work += kTermWork;
    const double f = std::exp(t.log_f - scale);
    if (f == 0) return;
    sums->value += sign * f * (0.5 - t.slope / 12);
    if (derivatives)
      for (int k = 0; k < pairs; ++k) {
        sums->p[k] += sign * f * (0.5 * t.g_p[k] - (t.slope * t.g_p[k] + t.t_p[k]) / 12);
        sums->q[k] += sign * f * (0.5 * t.g_q[k] - (t.slope * t.g_q[k] + t.t_q[k]) / 12);
      }
  };
  endpoint(K, 1);
  endpoint(M, -1);

  // int_K^min(M, Z) f(z) dz, z = K e^u, by Gauss-Legendre panels of width <= 2 in u (f z behaves like
  // e^(u) below the shifts and like e^(-sigma u) above them; 20 nodes integrate either to double precision
  // on such panels).
  using Gauss = boost::math::quadrature::gauss<double, 20>;
  const auto& nodes = Gauss::abscissa();
  const auto& weights = Gauss::weights();
  // (A chained tail may start beyond the panels' end: then the closed form from K on.)
  const double Z = std::max(K, std::min(M, 1e17 * std::max(1.0, max_shift + sigma)));
  const double u_end = std::log(Z / K);
  const double width = std::min(2.0, 8 / sigma);
  double previous_end_h = std::numeric_limits<double>::infinity();
  bool stopped = false;
  for (double u0 = 0; u0 < u_end && !stopped;) {
    const double u1 = std::min(u_end, u0 + width), half = (u1 - u0) / 2, mid = (u0 + u1) / 2;
    double panel = 0, panel_p[kMaxGammaRatioPairs] = {0, 0, 0}, panel_q[kMaxGammaRatioPairs] = {0, 0, 0};
    for (std::size_t i = 0; i < nodes.size(); ++i)
      for (double side : {-1.0, 1.0}) {
        if (nodes[i] == 0 && side > 0) continue;
        const double u = mid + side * half * nodes[i], z = K * std::exp(u);
        const TermAt t = term_at(s, z, false, derivatives);
        *work += kTermWork;
        const double h = std::exp(t.log_f - scale + std::log(z)) * weights[i] * half;
        panel += h;
        if (derivatives)
          for (int k = 0; k < pairs; ++k) {
            panel_p[k] += h * t.g_p[k];
            panel_q[k] += h * t.g_q[k];
          }
      }
    sums->value += panel;
    for (int k = 0; k < pairs; ++k) {
      sums->p[k] += panel_p[k];
      sums->q[k] += panel_q[k];
    }
    // Past the peak (f z falling) with a remainder int_u1^inf ~ f z / sigma below kNegligible of the sum.
    const TermAt end = term_at(s, K * std::exp(u1), false, false);
    const double end_h = std::exp(end.log_f - scale + std::log(K) + u1);
    if (end_h < previous_end_h && end_h / sigma < kNegligible * (before + sums->value)) stopped = true;
    previous_end_h = end_h;
    u0 = u1;
  }
  if (stopped || Z >= M) return stopped;
  // int_Z^M C z^(-s) dz and int_Z^M C z^(-s) log z dz in closed form, C Z^(-sigma) = f(Z) Z, y = sigma
  // log(M/Z):
  //   I0 = f(Z) Z D phi1(y),  I_log = f(Z) Z [log Z D phi1(y) + D^2 phi2(y)],  D = log(M/Z);
  // and psi(z + p) - psi(p) = log z - psi(p) + O(p/z) there.
  const TermAt at_z = term_at(s, Z, false, false);
  const double fz = std::exp(at_z.log_f - scale + std::log(Z)), D = std::log(M / Z), y = sigma * D;
  const double i0 = fz * D * phi1(y), i_log = fz * (std::log(Z) * D * phi1(y) + D * D * phi2(y));
  sums->value += i0;
  if (derivatives)
    for (int k = 0; k < pairs; ++k) {
      sums->p[k] += i_log - math::digamma(s.p[k]) * i0;
      sums->q[k] += i_log - math::digamma(s.q[k]) * i0;
    }
  return false;
}

}  // namespace

GammaRatioPrefixSums::GammaRatioPrefixSums(const GammaRatioSeries& series, bool derivatives)
    : s_(series), derivatives_(derivatives) {
  bool valid = true;
  sigma_ = -1;
  for (int k = 0; k < s_.pairs; ++k) {
    if (!(std::isfinite(s_.p[k]) && std::isfinite(s_.q[k]) && s_.p[k] > 0 && s_.q[k] > 0)) valid = false;
    sigma_ += s_.q[k] - s_.p[k];
    max_shift_ = std::max({max_shift_, s_.p[k], s_.q[k]});
    if (s_.p[k] > s_.q[k]) falling_ = false;
  }
  valid_ = valid && sigma_ > 0;
  // Exact terms up to K: beyond the shifts (64 times their spread), where f is smooth on the unit scale.
  double spread = 0;
  for (int k = 0; k < s_.pairs; ++k) spread += std::fabs(s_.q[k] - s_.p[k]);
  exact_limit_ = std::min(kMaxExactTerms, std::max(kMinExactTerms, std::ceil(64 * (spread + 1))));
}

// Adds f_j to *target and steps to f_(j+1); true when the rest of the series is negligible.
bool GammaRatioPrefixSums::step(Sums* target) {
  target->value += term_;
  if (derivatives_)
    for (int k = 0; k < s_.pairs; ++k) {
      target->p[k] += term_ * harmonic_p_[k];
      target->q[k] += term_ * harmonic_q_[k];
    }
  double ratio = 1;
  for (int k = 0; k < s_.pairs; ++k) {
    ratio *= (j_ + s_.p[k]) / (j_ + s_.q[k]);
    if (derivatives_) {
      harmonic_p_[k] += 1 / (j_ + s_.p[k]);
      harmonic_q_[k] += 1 / (j_ + s_.q[k]);
    }
  }
  term_ *= ratio;
  ++j_;
  ++work_;
  ++steps_since_anchor_;
  if (term_ > kRescale) {  // terms that rise (a binomial coefficient) before they fall
    term_ /= kRescale;
    for (Sums* sums : {&head_, &tail_}) {
      sums->value /= kRescale;
      for (int k = 0; k < s_.pairs; ++k) {
        sums->p[k] /= kRescale;
        sums->q[k] /= kRescale;
      }
      sums->log_scale += std::log(kRescale);
    }
  }
  // The rest, sum_{i >= j} f_i, is at most f_j (j + 1 + max shift) max(1, 1/sigma) when every pair falls
  // (p_k <= q_k): then d log f / dz = -sum_k [psi(z + q_k) - psi(z + p_k)] <= -(sigma + 1) / (z + max q),
  // as psi(z + q) - psi(z + p) >= (q - p) trigamma(z + q) > (q - p) / (z + q) (trigamma(y) > 1/y, from its
  // series A&S 6.4.10), so f_i <= f_j ((j + Q) / (i + Q))^(sigma + 1), whose sum beyond j is at most
  // f_j (j + Q) / sigma. Terms that rise first (a pair with p_k > q_k) are bounded only past K's minimum.
  return ratio < 1 && (falling_ || j_ >= kMinExactTerms) &&
         term_ * (j_ + 1 + max_shift_) * std::max(1.0, 1 / sigma_) <
             kNegligible * (head_.value + tail_.value);
}

GammaRatioSum GammaRatioPrefixSums::at(double count) {
  GammaRatioSum out;
  if (!valid_ || !(count >= 1)) {
    out.log_sum = kNaN;
    return out;
  }
  // The exact terms below K, as gamma_ratio_sum always summed them.
  const double exact = std::min(count, exact_limit_);
  while (!done_ && j_ < exact) done_ = step(&head_);
  if (!done_ && count > j_) {
    if (j_ > exact_limit_ && count - j_ <= kChainedExactTerms) {
      // A short step from the previous count: its terms exactly, from f_j by its gamma functions when the
      // previous step was a tail (or long ago: the product of many ratios drifts by an ulp a step).
      if (!term_known_ || steps_since_anchor_ >= kAnchorSteps) {
        const TermAt t = term_at(s_, j_, false, derivatives_);
        term_ = std::exp(t.log_f - head_.log_scale);
        for (int k = 0; k < s_.pairs; ++k) {
          harmonic_p_[k] = t.g_p[k];
          harmonic_q_[k] = t.g_q[k];
        }
        term_known_ = true;
        steps_since_anchor_ = 0;
        work_ += kTermWork;
      }
      while (!done_ && j_ < count) done_ = step(&tail_);
    } else {
      done_ = add_tail(s_, sigma_, max_shift_, j_, count, derivatives_, head_.value, &tail_, &work_);
      j_ = count;
      term_known_ = false;
    }
  }
  const double value = head_.value + tail_.value;
  out.log_sum = std::log(value) + head_.log_scale;
  if (derivatives_)
    for (int k = 0; k < s_.pairs; ++k) {
      out.d_p[k] = (head_.p[k] + tail_.p[k]) / value;
      out.d_q[k] = -(head_.q[k] + tail_.q[k]) / value;
    }
  return out;
}

GammaRatioSum gamma_ratio_sum(const GammaRatioSeries& s, double count, bool derivatives) {
  return GammaRatioPrefixSums(s, derivatives).at(count);
}

}  // namespace loyalty
