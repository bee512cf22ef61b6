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
        t.t_p[k] = math::trigamma(z + s.p[k]);
        t.t_q[k] = math::trigamma(z + s.q[k]);
      }
    }
  }
  return t;
}

// Running sums of the series and of its derivative series, all scaled by exp(-log_scale).
struct Sums {
  double log_scale = 0;
  double value = 0;
  double p[kMaxGammaRatioPairs] = {0, 0, 0};  // sum f_j (psi(j + p_k) - psi(p_k))
  double q[kMaxGammaRatioPairs] = {0, 0, 0};  // sum f_j (psi(j + q_k) - psi(q_k))
};

// (1 - e^-y) / y and (1 - e^-y (1 + y)) / y^2, y >= 0, without cancellation for small y.
double phi1(double y) {
  return y < 1e-8 ? 1 - y / 2 : -std::expm1(-y) / y;
}
double phi2(double y) {
  if (y < 1e-3) return 0.5 - y / 3 + y * y / 8;
  return (-std::expm1(-y) - y * std::exp(-y)) / (y * y);
}

// Adds sum_{j=K}^{M-1} f_j (and the derivative series) by Euler-Maclaurin (see the header).
void add_tail(const GammaRatioSeries& s, double sigma, double max_shift, double K, double M, bool derivatives,
              Sums* sums) {
  const int pairs = s.pairs;
  const double scale = sums->log_scale;
  // Endpoint terms: (f(K) - f(M)) / 2 + (f'(M) - f'(K)) / 12, and the same for F = f g: F' = f (slope g +
  // trigamma).
  auto endpoint = [&](double z, double sign) {
    const TermAt t = term_at(s, z, true, derivatives);
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
  const double Z = std::min(M, 1e17 * std::max(1.0, max_shift + sigma));
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
    if (end_h < previous_end_h && end_h / sigma < kNegligible * sums->value) stopped = true;
    previous_end_h = end_h;
    u0 = u1;
  }
  if (stopped || Z >= M) return;
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
}

}  // namespace

GammaRatioSum gamma_ratio_sum(const GammaRatioSeries& s, double count, bool derivatives) {
  GammaRatioSum out;
  double sigma = -1, max_shift = 0;
  for (int k = 0; k < s.pairs; ++k) {
    if (!(std::isfinite(s.p[k]) && std::isfinite(s.q[k]) && s.p[k] > 0 && s.q[k] > 0)) {
      out.log_sum = kNaN;
      return out;
    }
    sigma += s.q[k] - s.p[k];
    max_shift = std::max({max_shift, s.p[k], s.q[k]});
  }
  if (!(sigma > 0) || !(count >= 1)) {
    out.log_sum = kNaN;
    return out;
  }
  // Exact terms up to K: beyond the shifts (64 times their spread), where f is smooth on the unit scale.
  double spread = 0;
  for (int k = 0; k < s.pairs; ++k) spread += std::fabs(s.q[k] - s.p[k]);
  const double K = std::min(kMaxExactTerms, std::max(kMinExactTerms, std::ceil(64 * (spread + 1))));
  const double exact = std::min(count, K);
  Sums sums;
  double term = 1;
  double harmonic_p[kMaxGammaRatioPairs] = {0, 0, 0}, harmonic_q[kMaxGammaRatioPairs] = {0, 0, 0};
  bool negligible_tail = false;
  double j = 0;
  for (; j < exact; ++j) {
    sums.value += term;
    if (derivatives)
      for (int k = 0; k < s.pairs; ++k) {
        sums.p[k] += term * harmonic_p[k];
        sums.q[k] += term * harmonic_q[k];
      }
    double ratio = 1;
    for (int k = 0; k < s.pairs; ++k) {
      ratio *= (j + s.p[k]) / (j + s.q[k]);
      if (derivatives) {
        harmonic_p[k] += 1 / (j + s.p[k]);
        harmonic_q[k] += 1 / (j + s.q[k]);
      }
    }
    term *= ratio;
    if (term > kRescale) {  // terms that rise (a binomial coefficient) before they fall
      term /= kRescale;
      sums.value /= kRescale;
      for (int k = 0; k < s.pairs; ++k) {
        sums.p[k] /= kRescale;
        sums.q[k] /= kRescale;
      }
      sums.log_scale += std::log(kRescale);
    }
    // Only beyond K's minimum, so that short sums are exactly the plain sums they always were. The remaining
    // terms fall like j^-s: their sum is at most ~ f_j (j + shifts) / sigma.
    if (j + 1 >= kMinExactTerms && ratio < 1 &&
        term * (j + 2 + max_shift) * std::max(1.0, 1 / sigma) < kNegligible * sums.value) {
      negligible_tail = true;
      ++j;
      break;
    }
  }
  if (!negligible_tail && count > j) add_tail(s, sigma, max_shift, j, count, derivatives, &sums);
  out.log_sum = std::log(sums.value) + sums.log_scale;
  if (derivatives)
    for (int k = 0; k < s.pairs; ++k) {
      out.d_p[k] = sums.p[k] / sums.value;
      out.d_q[k] = -sums.q[k] / sums.value;
    }
  return out;
}

}  // namespace loyalty
