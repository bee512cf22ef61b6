#include "pareto_nbd.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "customer_simulator.hpp"
#include "hyp2f1.hpp"
#include "math_policy.hpp"
#include "number_text.hpp"

namespace loyalty {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kLn2 = 0.693147180559945309417232121458176568;
using Vec4 = std::array<double, 4>;  // derivatives with respect to (r, alpha, s, beta), in that order

// log(e^a + e^b).
double log_sum_exp(double a, double b) {
  if (a < b) std::swap(a, b);
  if (b == kNegInf) return a;
  return a + std::log1p(std::exp(b - a));
}

// log(e^a - e^b) for a > b; -inf when b >= a (the two are equal up to rounding, e.g. t_x = T: A0 = 0).
// Two forms, each accurate on its side of -log 2 (Maechler 2012, "Accurately computing log(1 - exp(-|a|))").
double log_diff_exp(double a, double b) {
  if (!(b < a)) return kNegInf;
  const double d = b - a;
  return a + (d > -kLn2 ? std::log(-std::expm1(d)) : std::log1p(-std::exp(d)));
}

// [1 - q^(s-1)] / (s-1) with log q = log_q <= 0, and its limit -log q at s = 1: the bracket of the expected
// purchases ([FH05] sections 4 and 6) without the cancellation of the textbook form near s = 1.
double purchases_bracket(double s, double log_q) {
  const double e = s - 1;
  if (e == 0) return -log_q;
  return -std::expm1(e * log_q) / e;
}

// ---------------------------------------------------------------------------------------------------------
// G(b, c, z) = 2F1(1, b; c; z), 0 <= z < 1, 0 < b < c, with the derivatives of log G in b, c and z.
//
// After Euler's transformation the likelihood needs 2F1 only with a = 1 (see the header). Its series
// sum_n t_n, t_0 = 1, t_(n+1) = t_n z (b+n)/(c+n), has positive terms with ratio below z, so it converges
// geometrically without cancellation for any size of b and c (heavy buyers have b, c ~ x), and
//   d t_n/db = t_n sum_(k<n) 1/(b+k),  d t_n/dc = -t_n sum_(k<n) 1/(c+k),  d t_n/dz = n t_n / z
// give the parameter derivatives the analytic likelihood gradient needs, which loyalty::log_hyp2f1 does not
// provide. We sum the series while z <= kSeriesMaxZ: up to ~4,500 terms at z = 0.99, ~6 ns each, still
// several times cheaper than the fallback, and accurate to ~n * 1e-16 relative (positive terms). Beyond that
// (only when max(alpha,beta)/min(alpha,beta) > ~100 and y is small) we take the value from
// loyalty::log_hyp2f1, d/dz from d/dz 2F1(1,b;c;z) = (b/c) 2F1(2,b+1;c+1;z) (DLMF 15.5.1), and d/db, d/dc by
// central differences (relative error ~1e-9, ample for the optimiser).
// ---------------------------------------------------------------------------------------------------------
constexpr double kSeriesMaxZ = 0.99;
constexpr int kSeriesMaxTerms = 6000;

struct LogHyp2f1 {
  double value = 0;  // log G
  double d_b = 0, d_c = 0, d_z = 0;
};

bool log_hyp2f1_unit_series(double b, double c, double z, bool derivatives, LogHyp2f1* out) {
  if (z < 1e-300) {  // G = 1 + (b/c) z + ...
    out->value = 0;
    out->d_b = out->d_c = 0;
    out->d_z = b / c;
    return true;
  }
  // Stop once the remaining tail of every sum is below 1e-17 of the sum: with ratio <= z, the tail after t_n
  // is at most t_n z/(1-z), and that of sum n t_n at most t_n (n + 1/(1-z)) z/(1-z).
  const double one_minus_z = 1 - z;
  const double tail_scale = 1e-17 * one_minus_z * one_minus_z;
  double sum = 1, term = 1;
  double sum_db = 0, sum_dc = 0, sum_dz = 0, harmonic_b = 0, harmonic_c = 0;
  for (int n = 0; n < kSeriesMaxTerms; ++n) {
    const double inv_c = 1 / (c + n);
    term *= z * (b + n) * inv_c;
    sum += term;
    if (derivatives) {
      harmonic_b += 1 / (b + n);
      harmonic_c += inv_c;
      sum_db += term * harmonic_b;
      sum_dc += term * harmonic_c;
      sum_dz += (n + 1) * term;
    }
    if (term * (n + 2) <= tail_scale * sum) {
      out->value = std::log(sum);
      if (derivatives) {
        out->d_b = sum_db / sum;
        out->d_c = -sum_dc / sum;
        out->d_z = sum_dz / (z * sum);
      }
      return true;
    }
  }
  return false;
}

LogHyp2f1 log_hyp2f1_unit(double b, double c, double z, bool derivatives) {
  LogHyp2f1 out;
  if (z <= kSeriesMaxZ && log_hyp2f1_unit_series(b, c, z, derivatives, &out)) return out;
  out.value = log_hyp2f1(1, b, c, z);
  if (derivatives) {
    out.d_z = std::exp(std::log(b / c) + log_hyp2f1(2, b + 1, c + 1, z) - out.value);
    const double hb = 1e-5 * b, hc = 1e-5 * c;
    out.d_b = (log_hyp2f1(1, b + hb, c, z) - log_hyp2f1(1, b - hb, c, z)) / (2 * hb);
    out.d_c = (log_hyp2f1(1, b, c + hc, z) - log_hyp2f1(1, b, c - hc, z)) / (2 * hc);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// log F(y) for z > kSeriesMaxZ, where the 2F1 series needs more than ~4,500 terms (about 40 / (1 - z)) and
// 2F1 by loyalty::log_hyp2f1 plus difference quotients costs a millisecond or more per node (measured:
// 0.5-1.5 s per evaluation on 3,000 rows once alpha/beta passes ~100). Instead, from the model ([FH05]
// section 3: the dead part of the likelihood is the integral over the time of death),
//   F(y) = m int_y^inf (alpha+u)^-(r+x) (beta+u)^-(s+1) du,   m = r+s+x,
// with v = log(lo + u), lo = min(alpha, beta), D = |alpha - beta|:
//   int = int_v0^inf exp((1-k1) v - k2 log(e^v + D)) dv,  v0 = log(lo + y),
// k1 the exponent of the smaller shift's factor, k2 of the larger. The log-integrand is concave (its second
// derivative is -k2 D e^v / (e^v + D)^2), smooth on the unit scale, and falls like e^(-m v) once e^v >> D:
// 20-point Gauss-Legendre panels of width min(4, 6 / |slope|) (the nearest singularity, at log D + i pi, is
// pi away: error ~1e-16 per panel), stopped once the concave tail bound h / |slope| is negligible, and taken
// in closed form, int_V^inf e^(-m v) dv = e^(-m V) / m, beyond V where k2 D e^-V < 1e-17. The parameter
// derivatives are integrals of the same integrand times -log(alpha+u), -(r+x)/(alpha+u), ... Bounded work:
// at most ~100 panels, typically 10-20 (~5-10 microseconds a node), whatever alpha/beta.
// ---------------------------------------------------------------------------------------------------------
struct DeadIntegral {
  double log_f = 0;
  Vec4 d_log_f{};
};

// The integrand of F in v = log(lo + u), with its slope, and the sums of its values (and of its values times
// d log g / d(r, alpha, s, beta), g = (alpha+u)^-ka (beta+u)^-kb) at quadrature nodes, relative to a scale.
class DeadIntegrand {
 public:
  DeadIntegrand(const ParetoNbdParams& p, double x)
      : alpha_low_(p.alpha <= p.beta),
        lo_(alpha_low_ ? p.alpha : p.beta),
        d_(std::fabs(p.alpha - p.beta)),
        ka_(p.r + x),
        kb_(p.s + 1),
        k1_(alpha_low_ ? ka_ : kb_),
        k2_(alpha_low_ ? kb_ : ka_),
        m_(p.r + p.s + x),
        log_d_(d_ > 0 ? std::log(d_) : -HUGE_VAL) {}

  double v_of(double y) const { return std::log(lo_ + y); }
  // log(e^v + D), the larger shift's log(shift + u), without overflow.
  double log_high(double v) const {
    if (d_ == 0) return v;
    return v > log_d_ ? v + std::log1p(d_ * std::exp(-v)) : log_d_ + std::log1p(std::exp(v - log_d_));
  }
  double log_h(double v) const { return (1 - k1_) * v - k2_ * log_high(v); }
  double slope(double v) const { return (1 - k1_) - k2_ / (1 + d_ * std::exp(-v)); }
  // The slope at v = log(lo + y), from lo + y itself.
  double slope_at(double y) const { return (1 - k1_) - k2_ * (lo_ + y) / (lo_ + y + d_); }
  // Where log_h peaks on [v0, inf) (slope 0 where e^v / (e^v + D) = (1 - k1) / k2), or v0 when it falls.
  double peak(double v0) const {
    const double rho = (1 - k1_) / k2_;
    if (d_ > 0 && rho > 0 && rho < 1) return std::max(v0, log_d_ + std::log(rho) - std::log1p(-rho));
    return v0;
  }
  // Beyond this the larger shift no longer matters (k2 D e^-v < 1e-17): the integrand is e^(-m v).
  double v_tail(double v0) const {
    return d_ > 0 ? std::max(v0, log_d_ + std::log(k2_) + 17 * std::log(10.0)) : v0;
  }
  double ka() const { return ka_; }
  double kb() const { return kb_; }
  double m() const { return m_; }

  struct Sums {
    double scale = 0;  // log of the unit of sum and d
    double sum = 0;
    Vec4 d{};
  };
  void add_node(double v, double weight, bool gradient, Sums* sums) const {
    // From e^v = lo + u: the larger shift's hi + u = e^v + D, and 1 / (shift + u) for the gradient, with one
    // exp and one log (the log1p form of log_high where e^v + D would overflow).
    const double low_u = std::exp(v), high_u = low_u + d_;
    const bool finite = std::isfinite(high_u);
    const double log_hi = finite ? std::log(high_u) : log_high(v);
    const double h = std::exp((1 - k1_) * v - k2_ * log_hi - sums->scale) * weight;
    sums->sum += h;
    if (gradient) {
      const double inv_low = 1 / low_u, inv_high = finite ? 1 / high_u : std::exp(-log_hi);
      const double log_alpha_u = alpha_low_ ? v : log_hi, log_beta_u = alpha_low_ ? log_hi : v;
      sums->d[0] -= h * log_alpha_u;
      sums->d[1] -= h * ka_ * (alpha_low_ ? inv_low : inv_high);
      sums->d[2] -= h * log_beta_u;
      sums->d[3] -= h * kb_ * (alpha_low_ ? inv_high : inv_low);
    }
  }
  // One Gauss-Legendre panel [v, v + width] of the rule G.
  template <class G>
  void add_panel(double v, double width, bool gradient, Sums* sums) const {
    const auto& nodes = G::abscissa();
    const auto& weights = G::weights();
    const double half = width / 2, mid = v + half;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      add_node(mid - half * nodes[i], weights[i] * half, gradient, sums);
      if (nodes[i] != 0) add_node(mid + half * nodes[i], weights[i] * half, gradient, sums);
    }
  }

 private:
  bool alpha_low_;
  double lo_, d_, ka_, kb_, k1_, k2_, m_, log_d_;
};

// log F(y) and its gradient from the sums over [v0, inf) of DeadIntegrand (log m folded in).
DeadIntegral dead_integral_of(const DeadIntegrand::Sums& sums, double m, bool gradient) {
  DeadIntegral out;
  out.log_f = std::log(m) + sums.scale + std::log(sums.sum);
  if (gradient)
    out.d_log_f = {sums.d[0] / sums.sum + 1 / m, sums.d[1] / sums.sum, sums.d[2] / sums.sum + 1 / m,
                   sums.d[3] / sums.sum};
  return out;
}

DeadIntegral log_dead_integral(const ParetoNbdParams& p, double x, double y, bool gradient) {
  using Gauss = boost::math::quadrature::gauss<double, 20>;
  const DeadIntegrand f(p, x);
  const double v0 = f.v_of(y);
  // Scale at the peak, or at v0 when it falls from there.
  DeadIntegrand::Sums sums;
  sums.scale = f.log_h(f.peak(v0));
  const double v_tail = f.v_tail(v0);
  double v = v0;
  bool done = false;
  for (int panel = 0; panel < 400 && v < v_tail; ++panel) {
    const double width = std::min({4.0, 6 / std::max(1e-300, std::fabs(f.slope(v))), v_tail - v});
    f.add_panel<Gauss>(v, width, gradient, &sums);
    v += width;
    const double end_slope = f.slope(v);
    if (end_slope < 0 && std::exp(f.log_h(v) - sums.scale) / -end_slope < 1e-17 * sums.sum) {
      done = true;
      break;
    }
  }
  if (!done) {
    // int_v^inf e^(-m v') dv' (times the value at v), and with -v' and -k e^(-v') factors for the gradient.
    const double m = f.m(), h = std::exp(f.log_h(v) - sums.scale);
    sums.sum += h / m;
    if (gradient) {
      const double with_log = h * (v / m + 1 / (m * m)), with_inverse = h * std::exp(-v) / (m + 1);
      sums.d[0] -= with_log;
      sums.d[2] -= with_log;
      sums.d[1] -= f.ka() * with_inverse;
      sums.d[3] -= f.kb() * with_inverse;
    }
  }
  return dead_integral_of(sums, f.m(), gradient);
}

// ---------------------------------------------------------------------------------------------------------
// The same integral over a piece [y0, y1] only: m int_y0^y1 (alpha+u)^-(r+x) (beta+u)^-(s+1) du, so that
// F(y0) = F(y1) + piece, a sum of two positive terms. The fit evaluates F at every distinct (x, y) of the
// data; for one x these are neighbours on one integrand, so that each node costs one short piece (4 or 8
// Gauss-Legendre points) instead of a tail integral or a 2F1 series of up to thousands of terms (measured on
// 100,000 distinct continuous rows: ~2 s -> ~0.05 s an evaluation).
// Panels: the log-integrand is concave in v, so over a panel its slope lies between its end values; with K
// the larger of them, a 4-point rule on width w <= 0.15 / max(K, 1), else 8-point rules on w <= min(1, 2/K),
// are exact to ~1e-16 relative (the Gauss-Legendre error for e^(Kv) is ~(Kw/2)^(2n) (n!)^4 2^(2n+1) /
// ((2n+1) ((2n)!)^3), and the nearest singularity, log D + i pi, is >= pi away). Past the peak, panels stop
// once the concave tail bound h / |slope| is negligible against the sum.
// ---------------------------------------------------------------------------------------------------------
DeadIntegral log_dead_piece(const DeadIntegrand& f, double y0, double y1, bool gradient) {
  using Gauss4 = boost::math::quadrature::gauss<double, 4>;
  using Gauss8 = boost::math::quadrature::gauss<double, 8>;
  const double v0 = f.v_of(y0), v1 = f.v_of(y1);
  DeadIntegrand::Sums sums;
  sums.scale = f.log_h(std::min(f.peak(v0), v1));
  double v = v0;
  double slope_v = f.slope_at(y0);
  const double slope_v1 = f.slope_at(y1);
  for (int panel = 0; panel < 4000 && v < v1; ++panel) {
    double width = v1 - v;
    const double k = std::max({std::fabs(slope_v), std::fabs(slope_v1), 1.0});
    if (width * k <= 0.15) {  // usually the whole piece: neighbouring nodes are close
      f.add_panel<Gauss4>(v, width, gradient, &sums);
      break;
    }
    // |slope| on [v, v + w'] is at most its larger end value for every w' <= w (the slope decreases).
    width = std::min(width, 2 / std::max(std::fabs(slope_v), 1.0));
    width = std::min(width, 2 / std::max({std::fabs(slope_v), std::fabs(f.slope(v + width)), 1.0}));
    if (width > 1) width = 1;
    f.add_panel<Gauss8>(v, width, gradient, &sums);
    if (!(width < v1 - v)) break;
    v += width;
    slope_v = f.slope(v);
    if (slope_v < 0 && std::exp(f.log_h(v) - sums.scale) / -slope_v < 1e-17 * sums.sum) break;
  }
  if (!(sums.sum > 0)) return {-HUGE_VAL, {}};  // y0 and y1 equal in v: an empty piece
  return dead_integral_of(sums, f.m(), gradient);
}

// ---------------------------------------------------------------------------------------------------------
// The terms of one (x, y) "node", y = t_x or T:
//   log_p = -(r+x) log(alpha+y) - s log(beta+y)         (the first part of the likelihood, at y = T)
//   log_f = log F(y) = log_p + log G(z_y)                (A0 = F(t_x) - F(T), see the header)
// ---------------------------------------------------------------------------------------------------------
struct NodeTerms {
  double log_p = 0, log_f = 0;
  Vec4 d_log_p{}, d_log_f{};
};

NodeTerms node_terms(const ParetoNbdParams& p, double x, double y, bool gradient) {
  NodeTerms n;
  const double ay = p.alpha + y, by = p.beta + y;
  const double log_ay = std::log(ay), log_by = std::log(by);
  n.log_p = -(p.r + x) * log_ay - p.s * log_by;
  // alpha >= beta: G = 2F1(1, r+x; r+s+x+1; (alpha-beta)/(alpha+y)); otherwise
  // G = (alpha+y)/(beta+y) 2F1(1, s+1; r+s+x+1; (beta-alpha)/(beta+y)). Both are exact, so the choice at
  // alpha == beta (z = 0) leaves value and gradient continuous.
  const bool alpha_branch = p.alpha >= p.beta;
  const double c = p.r + p.s + x + 1;
  const double b = alpha_branch ? p.r + x : p.s + 1;
  const double z = alpha_branch ? (p.alpha - p.beta) / ay : (p.beta - p.alpha) / by;
  if (z > kSeriesMaxZ) {  // where the 2F1 series is long: the integral it stands for, in bounded work
    const DeadIntegral dead = log_dead_integral(p, x, y, gradient);
    n.log_f = dead.log_f;
    if (gradient) {
      n.d_log_p = {-log_ay, -(p.r + x) / ay, -log_by, -p.s / by};
      n.d_log_f = dead.d_log_f;
    }
    return n;
  }
  const LogHyp2f1 g = log_hyp2f1_unit(b, c, z, gradient);
  n.log_f = n.log_p + g.value + (alpha_branch ? 0.0 : log_ay - log_by);
  if (gradient) {
    n.d_log_p = {-log_ay, -(p.r + x) / ay, -log_by, -p.s / by};
    n.d_log_f = n.d_log_p;
    n.d_log_f[0] += g.d_c;  // c = r+s+x+1
    n.d_log_f[2] += g.d_c;
    if (alpha_branch) {
      n.d_log_f[0] += g.d_b;                   // b = r+x
      n.d_log_f[1] += g.d_z * by / (ay * ay);  // dz/dalpha
      n.d_log_f[3] -= g.d_z / ay;              // dz/dbeta
    } else {
      n.d_log_f[2] += g.d_b;  // b = s+1
      n.d_log_f[1] += 1 / ay - g.d_z / by;
      n.d_log_f[3] += g.d_z * ay / (by * by) - 1 / by;
    }
  }
  return n;
}

// The terms at y from those at a larger y1 of the same x: F(y) = F(y1) + m int_y^y1 ... du (log_dead_piece).
NodeTerms node_terms_below(const ParetoNbdParams& p, const DeadIntegrand& f, double x, double y, double y1,
                           const NodeTerms& at_y1, bool gradient) {
  NodeTerms n;
  const double ay = p.alpha + y, by = p.beta + y;
  const double log_ay = std::log(ay), log_by = std::log(by);
  n.log_p = -(p.r + x) * log_ay - p.s * log_by;
  if (gradient) n.d_log_p = {-log_ay, -(p.r + x) / ay, -log_by, -p.s / by};
  const DeadIntegral piece = log_dead_piece(f, y, y1, gradient);
  if (piece.log_f == -HUGE_VAL) {
    n.log_f = at_y1.log_f;
    n.d_log_f = at_y1.d_log_f;
    return n;
  }
  n.log_f = log_sum_exp(at_y1.log_f, piece.log_f);
  if (gradient) {
    const double w_above = std::exp(at_y1.log_f - n.log_f), w_piece = std::exp(piece.log_f - n.log_f);
    for (int k = 0; k < 4; ++k) n.d_log_f[k] = w_above * at_y1.d_log_f[k] + w_piece * piece.d_log_f[k];
  }
  return n;
}

// Per distinct frequency x: log[Gamma(r+x) alpha^r beta^s / Gamma(r)] and log[s / (r+s+x)], with gradients.
struct FrequencyTerms {
  double log_front = 0, log_c = 0;
  Vec4 d_log_front{}, d_log_c{};
};

FrequencyTerms frequency_terms(const ParetoNbdParams& p, double x, bool gradient, double lgamma_r,
                               double digamma_r) {
  FrequencyTerms f;
  const double m = p.r + p.s + x;
  f.log_front = math::lgamma(p.r + x) - lgamma_r + p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  f.log_c = std::log(p.s) - std::log(m);
  if (gradient) {
    f.d_log_front = {math::digamma(p.r + x) - digamma_r + std::log(p.alpha), p.r / p.alpha, std::log(p.beta),
                     p.s / p.beta};
    f.d_log_c = {-1 / m, 0, 1 / p.s - 1 / m, 0};
  }
  return f;
}

// log of the bracket {1/((alpha+T)^(r+x)(beta+T)^s) + s/(r+s+x) A0} and log of its second part.
struct BracketLogs {
  double log_first = 0;   // log_p at T
  double log_second = 0;  // log[s/(r+s+x) A0], -inf when A0 = 0
};

BracketLogs bracket_logs(const FrequencyTerms& f, const NodeTerms& at_tx, const NodeTerms& at_t) {
  return {at_t.log_p, f.log_c + log_diff_exp(at_tx.log_f, at_t.log_f)};
}

// One row's log-likelihood from its frequency and node terms, and its gradient in *g when non-null:
//   d log bracket = w1 d log_p(T) + [c e^(log_f(t_x)) d log_f(t_x) - c e^(log_f(T)) d log_f(T) + c A0 d log
//   c]
//                   / bracket.
double row_terms(const FrequencyTerms& f, const NodeTerms& at_tx, const NodeTerms& at_t, Vec4* g) {
  const BracketLogs parts = bracket_logs(f, at_tx, at_t);
  const double log_bracket = log_sum_exp(parts.log_first, parts.log_second);
  if (g) {
    const double w_first = std::exp(parts.log_first - log_bracket);
    for (int k = 0; k < 4; ++k) (*g)[k] = f.d_log_front[k] + w_first * at_t.d_log_p[k];
    if (parts.log_second != kNegInf) {
      const double w_tx = std::exp(f.log_c + at_tx.log_f - log_bracket);
      const double w_t = std::exp(f.log_c + at_t.log_f - log_bracket);
      const double w_second = std::exp(parts.log_second - log_bracket);
      for (int k = 0; k < 4; ++k)
        (*g)[k] += w_tx * at_tx.d_log_f[k] - w_t * at_t.d_log_f[k] + w_second * f.d_log_c[k];
    }
  }
  return f.log_front + log_bracket;
}

// ---------------------------------------------------------------------------------------------------------
// Rows prepared for repeated likelihood evaluation: identical rows merged (weights added), and the terms that
// depend on x only (gamma functions) or on (x, y) only (the 2F1 series) hoisted out of the per-row loop, so
// that each is computed once per evaluation however many customers share it.
// ---------------------------------------------------------------------------------------------------------
class ParetoRows : public PreparedRows {
 public:
  explicit ParetoRows(const std::vector<ModelRow>& rows) {
    std::vector<SummaryRow> sorted;
    sorted.reserve(rows.size());
    for (const ModelRow& row : rows) sorted.push_back({row.key[0], row.key[1], row.key[2], row.weight});
    std::sort(sorted.begin(), sorted.end(), [](const SummaryRow& a, const SummaryRow& b) {
      if (a.frequency != b.frequency) return a.frequency < b.frequency;
      if (a.recency != b.recency) return a.recency < b.recency;
      return a.t < b.t;
    });
    // Nodes: distinct (x, y) over y in {t_x, T}.
    std::vector<std::pair<double, double>> keys;
    keys.reserve(2 * sorted.size());
    for (const SummaryRow& row : sorted) {
      customers_ += row.weight;
      keys.emplace_back(row.frequency, row.recency);
      keys.emplace_back(row.frequency, row.t);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    auto node_of = [&](double x, double y) {
      return static_cast<std::uint32_t>(std::lower_bound(keys.begin(), keys.end(), std::make_pair(x, y)) -
                                        keys.begin());
    };
    for (const auto& key : keys) {
      if (frequencies_.empty() || frequencies_.back() != key.first) frequencies_.push_back(key.first);
      nodes_.push_back({key.first, key.second, static_cast<std::uint32_t>(frequencies_.size() - 1)});
    }
    for (const SummaryRow& row : sorted) {
      if (!rows_.empty()) {
        Row& last = rows_.back();
        const SummaryRow& prev = sorted[last.source];
        if (prev.frequency == row.frequency && prev.recency == row.recency && prev.t == row.t) {
          last.weight += row.weight;
          continue;
        }
      }
      const std::uint32_t tx_node = node_of(row.frequency, row.recency);
      rows_.push_back({nodes_[tx_node].frequency_index, tx_node, node_of(row.frequency, row.t), row.weight,
                       static_cast<std::uint32_t>(&row - sorted.data())});
    }
    std::vector<SummaryRow>().swap(sorted);
  }

  double customers() const override { return customers_; }
  std::size_t distinct_rows() const override { return rows_.size(); }

  double log_likelihood(const double* params, double* gradient,
                        const std::function<void()>& interrupt) override {
    const ParetoNbdParams p{params[0], params[1], params[2], params[3]};
    const std::function<void()>* check_interrupt = &interrupt;
    const bool want = gradient != nullptr;
    const double lgamma_r = math::lgamma(p.r);
    const double digamma_r = want ? math::digamma(p.r) : 0;
    frequency_terms_.resize(frequencies_.size());
    for (std::size_t i = 0; i < frequencies_.size(); ++i)
      frequency_terms_[i] = frequency_terms(p, frequencies_[i], want, lgamma_r, digamma_r);
    // Per frequency, from its largest y down: the top node in full (a tail integral or the 2F1 series, up
    // to ~45 us), each one below it from its upper neighbour and the piece between them (log_dead_piece).
    node_terms_.resize(nodes_.size());
    std::optional<DeadIntegrand> integrand;
    for (std::size_t i = nodes_.size(); i-- > 0;) {
      if (check_interrupt && *check_interrupt && (i & 0xff) == 0xff) (*check_interrupt)();
      const Node& node = nodes_[i];
      if (i + 1 == nodes_.size() || nodes_[i + 1].frequency_index != node.frequency_index) {
        node_terms_[i] = node_terms(p, node.x, node.y, want);
        integrand.emplace(p, node.x);
      } else {
        node_terms_[i] =
            node_terms_below(p, *integrand, node.x, node.y, nodes_[i + 1].y, node_terms_[i + 1], want);
      }
    }
    double total = 0;
    Vec4 g{};
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (check_interrupt && *check_interrupt && (i & 0x3fff) == 0x3fff) (*check_interrupt)();
      const Row& row = rows_[i];
      const FrequencyTerms& f = frequency_terms_[row.frequency_index];
      const NodeTerms& at_tx = node_terms_[row.tx_node];
      const NodeTerms& at_t = node_terms_[row.t_node];
      Vec4 row_g{};
      total += row.weight * row_terms(f, at_tx, at_t, want ? &row_g : nullptr);
      if (want)
        for (int k = 0; k < 4; ++k) g[k] += row.weight * row_g[k];
    }
    if (want) std::copy(g.begin(), g.end(), gradient);
    return total;
  }

 private:
  struct Node {
    double x, y;
    std::uint32_t frequency_index;
  };
  struct Row {
    std::uint32_t frequency_index, tx_node, t_node;
    double weight;
    std::uint32_t source;  // index in the sorted input, only while building
  };
  double customers_ = 0;
  std::vector<double> frequencies_;
  std::vector<Node> nodes_;
  std::vector<Row> rows_;
  std::vector<FrequencyTerms> frequency_terms_;  // scratch, per evaluation
  std::vector<NodeTerms> node_terms_;            // scratch, per evaluation
};

void validate_customer(double x, double t_x, double T) {
  validate_summary_row(SummaryRow{x, t_x, T, 1});
}

void validate_horizon(double t, const char* name) {
  if (!std::isfinite(t) || t < 0)
    throw std::invalid_argument(std::string(name) + " must be non-negative and finite (" + name + " " +
                                number_text(t) + ")");
}

// log[s/(r+s+x) A0] - log[1/((alpha+T)^(r+x)(beta+T)^s)]: the log-odds of being dead at T ([FH05] section 5).
double log_odds_dead(const ParetoNbdParams& p, double x, double t_x, double T) {
  const NodeTerms at_tx = node_terms(p, x, t_x, false);
  const NodeTerms at_t = node_terms(p, x, T, false);
  const double log_c = std::log(p.s) - std::log(p.r + p.s + x);
  return log_c + log_diff_exp(at_tx.log_f, at_t.log_f) - at_t.log_p;
}

constexpr const char* kParameterNames[] = {"r", "alpha", "s", "beta"};

double checked(double value, const char* what, const double* params) {
  return finite_prediction(value, "pareto/nbd", what, kParameterNames, 4, params);
}

double pareto_p_alive(const double* params, double x, double t_x, double T) {
  const ParetoNbdParams p{params[0], params[1], params[2], params[3]};
  validate_customer(x, t_x, T);
  // 1 / (1 + e^d) without overflow: e^d = inf gives 0.
  return checked(1 / (1 + std::exp(log_odds_dead(p, x, t_x, T))), "p_alive", params);
}

double pareto_expected_purchases(const double* p, double x, double t_x, double T, double horizon) {
  validate_horizon(horizon, "horizon");
  const double p_alive = pareto_p_alive(p, x, t_x, T);
  if (horizon == 0) return 0;
  // [FH05] section 6: (r+x)/(alpha+T) (beta+T) [1 - ((beta+T)/(beta+T+t))^(s-1)]/(s-1) P(alive).
  const double bt = p[3] + T;
  return checked((p[0] + x) / (p[1] + T) * bt * purchases_bracket(p[2], -std::log1p(horizon / bt)) * p_alive,
                 "expected purchases", p);
}

double pareto_expected_purchases_unconditional(const double* p, double t) {
  validate_horizon(t, "t");
  if (t == 0) return 0;
  // [FH05] section 4: r beta / alpha [1 - (beta/(beta+t))^(s-1)]/(s-1).
  return checked(p[0] / p[1] * p[3] * purchases_bracket(p[2], -std::log1p(t / p[3])), "expected purchases",
                 p);
}

double pareto_probability_of_purchases(const double* params, double t, int k) {
  validate_horizon(t, "t");
  if (k < 0)
    throw std::invalid_argument("number of purchases must be non-negative (k " + std::to_string(k) + ")");
  if (t == 0) return k == 0 ? 1.0 : 0.0;
  const double r = params[0], alpha = params[1], s = params[2], beta = params[3], x = k;
  const double log_common = math::lgamma(r + x) - math::lgamma(r) - math::lgamma(x + 1);
  // Alive throughout (0, t]: NBD probability times P(lifetime > t) ([FH06] section 3).
  const double log_alive =
      log_common - r * std::log1p(t / alpha) - x * std::log1p(alpha / t) - s * std::log1p(t / beta);
  // Died at y in (0, t] after exactly k purchases: Gamma(r+k) s alpha^r beta^s / (Gamma(r) k!) times
  // J = Int_0^t y^k (alpha+y)^-(r+k) (beta+y)^-(s+1) dy. The log-integrand h(y) is unimodal (h'(y) = 0 is a
  // quadratic with one positive root y*), so we integrate exp(h - h(peak)) with a breakpoint at the peak, by
  // Boost's adaptive Gauss-Kronrod (7, 15) rule under the project's non-throwing policy.
  auto log_integrand = [&](double y) {
    return (k == 0 ? 0.0 : x * std::log(y)) - (r + x) * std::log(alpha + y) - (s + 1) * std::log(beta + y);
  };
  std::vector<double> breakpoints = {0.0};
  double peak = 0;
  if (k > 0) {
    // (r+s+1) y^2 - B y - k alpha beta = 0, B = k alpha - r beta - (s+1) alpha; the stable root formula.
    const double a2 = r + s + 1, b1 = x * alpha - r * beta - (s + 1) * alpha, c0 = x * alpha * beta;
    const double root = std::sqrt(b1 * b1 + 4 * a2 * c0);
    peak = b1 >= 0 ? (b1 + root) / (2 * a2) : 2 * c0 / (root - b1);
    peak = std::min(peak, t);
    if (peak > 0 && peak < t) breakpoints.push_back(peak);
  }
  breakpoints.push_back(t);
  const double log_peak = log_integrand(peak);
  auto scaled = [&](double y) { return y <= 0 && k > 0 ? 0.0 : std::exp(log_integrand(y) - log_peak); };
  using Kronrod = boost::math::quadrature::gauss_kronrod<double, 15, math::project_policy>;
  // The policy never throws; errno is no use here (exp underflows in the tails set ERANGE), the value is.
  double integral = 0;
  for (std::size_t i = 0; i + 1 < breakpoints.size(); ++i)
    integral += Kronrod::integrate(scaled, breakpoints[i], breakpoints[i + 1], 15, 1e-13);
  if (!std::isfinite(integral) || integral <= 0)
    return checked(std::numeric_limits<double>::quiet_NaN(), "probability of purchases", params);
  const double log_dead =
      log_common + std::log(s) + r * std::log(alpha) + s * std::log(beta) + log_peak + std::log(integral);
  const double p = checked(std::exp(log_sum_exp(log_alive, log_dead)), "probability of purchases", params);
  return std::min(1.0, std::max(0.0, p));
}

// r = s = 1; alpha from the pooled purchase rate (E[lambda] = r/alpha), beta from the mean observation length
// (in the data's own time unit, so the start does not depend on the unit).
void pareto_start(const std::vector<ModelRow>& rows, double* params) {
  const RowMeans means = row_means(rows);
  params[0] = params[2] = 1;
  params[1] = means.x > 0 ? means.t / means.x : means.t;
  params[3] = means.t;
}

std::unique_ptr<PreparedRows> prepare_pareto_rows(const std::vector<ModelRow>& rows) {
  return std::make_unique<ParetoRows>(rows);
}

double pareto_row_log_likelihood(const double* params, const ModelRow& row, double* gradient) {
  const ParetoNbdParams p{params[0], params[1], params[2], params[3]};
  const bool want = gradient != nullptr;
  const FrequencyTerms f =
      frequency_terms(p, row.key[0], want, math::lgamma(p.r), want ? math::digamma(p.r) : 0);
  Vec4 g{};
  const double value = row_terms(f, node_terms(p, row.key[0], row.key[1], want),
                                 node_terms(p, row.key[0], row.key[2], want), want ? &g : nullptr);
  if (want) std::copy(g.begin(), g.end(), gradient);
  return value;
}

}  // namespace

// Warm start (penalized_fit.hpp) from ~5,000 rows: the first evaluations of L-BFGS are far from the optimum,
// often where max(alpha,beta)/min(alpha,beta) is large and the 2F1 series long (z -> 1).

// A description reads as a table, one group of fields a line or two.
// clang-format off
const ModelDescription kParetoNbdModel = {
    "pareto_nbd_model", "pareto/nbd", 4, kParameterNames, RowKind::continuous,  // identity
    validate_continuous_row, prepare_pareto_rows, pareto_start, pareto_start, 5000,
    pareto_row_log_likelihood,  // likelihood, fit (warm start from 5,000 rows)
    pareto_p_alive, pareto_expected_purchases, pareto_expected_purchases_unconditional,
    pareto_probability_of_purchases,
    simulate_pareto_nbd_rows};
// clang-format on

}  // namespace loyalty
