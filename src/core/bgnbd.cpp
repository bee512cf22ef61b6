#include "bgnbd.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

#include "hyp2f1.hpp"
#include "log_space.hpp"
#include "math_policy.hpp"
#include "customer_simulator.hpp"
#include "number_text.hpp"

namespace loyalty {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;
constexpr double kInf = std::numeric_limits<double>::infinity();

// lbeta(a, b + m) - lbeta(a, b) = log E[(1-p)^m] for p ~ Beta(a, b).
double log_beta_ratio(double a, double b, double m) {
  return math::lgamma(b + m) - math::lgamma(b) + math::lgamma(a + b) - math::lgamma(a + b + m);
}

// log E[(1 - exp(-lambda p t)) / p] for lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b): the expected number of
// purchases in (0, t] of a customer alive at 0 who buys at rate lambda and drops out with probability p after
// each purchase ([FHL05]: E[X(t) | lambda, p] = (1 - exp(-lambda p t)) / p, and E_lambda exp(-lambda p t) =
// (alpha / (alpha + p t))^r). That is
//   1/B(a,b) int_0^1 p^(a-2) (1-p)^(b-1) [1 - (1 + p t/alpha)^(-r)] dp,
// whose closed form is [FHL05] eq. 9, (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
// The closed form is singular at a = 1, undefined for a + b <= 1, cancels for small t or a near 1, and its
// 2F1 is slow as t / (alpha + t) -> 1. It is used only where none of that bites; elsewhere we integrate the
// positive integrand with the tanh-sinh rule (Takahasi & Mori 1974) in log space: p = 1 / (1 + exp(-pi sinh
// x)), dp/dx = pi cosh x p (1 - p).
//
// First, though, a series that has none of these problems for z = t / (alpha + t) <= 0.9. Euler's
// transformation (A&S 15.3.3) turns (1-z)^r 2F1(r, b; c; z), c = a + b - 1, into (1-z)^(a-1) 2F1(c - r, a -
// 1; c; z), and (a-1)_k / (a-1) = (a)_(k-1) takes the singular factor out of the series:
//   eq. 9 = c [ -expm1((a-1) log(1-z)) / (a-1) - (1-z)^(a-1) S ],
//   S = sum_{k>=1} (c-r)_k (a)_(k-1) z^k / ((c)_k k!),
// finite and smooth through a = 1 (where the first term is -log(1-z)), and without cancellation for small z.
double expected_purchases_series(double r, double a, double b, double z) {
  const double c = a + b - 1, A = c - r, log_1mz = std::log1p(-z), e = a - 1;
  const double first = e == 0 ? -log_1mz : -std::expm1(e * log_1mz) / e;
  double term = A * z / c, sum = term;
  for (int k = 1; k < 2000 && std::fabs(term) > 1e-17 * std::fabs(sum); ++k) {
    term *= (A + k) * (a + k - 1) * z / ((c + k) * (k + 1));
    sum += term;
  }
  return c * (first - std::exp(e * log_1mz) * sum);
}

double log_mixture_expected_purchases(double r, double alpha, double a, double b, double t) {
  const double rate = t / alpha;
  // Horizons so short that z = t / (alpha + t) < 1e-12: eq. 9 = r z (1 + O(z)) (in the series below, first =
  // z + O(z^2) and S = (c - r) z / c + O(z^2)), taken in logs so that a subnormal t gives its tiny value
  // instead of underflowing z to 0 and falling through to the quadrature (measured: 20 ms and a spurious
  // 22003 for t = 5e-324).
  if (t / (alpha + t) < 1e-12) return std::log(r) + std::log(t) - std::log(alpha + t);
  {
    const double z = t / (alpha + t);
    if (a + b - 1 > 0 && z <= 0.9) {
      const double value = expected_purchases_series(r, a, b, z);
      if (std::isfinite(value) && value > 0) return std::log(value);
    }
  }
  // Fast path: eq. 9 itself, where its 2F1 is a short positive series (z <= 0.9) and the bracket
  // D = 1 - (1-z)^r 2F1 keeps its digits (|D| >= 1e-3 max(1, (1-z)^r 2F1): at most 3 digits lost to the
  // subtraction). D and a - 1 have the same sign (E[1/p] is finite iff a > 1).
  const double c = a + b - 1, z = t / (alpha + t);
  if (c > 0 && z <= 0.9) {
    const double ratio = std::exp(log_hyp2f1(r, b, c, z) - r * std::log1p(rate));
    const double bracket = 1 - ratio;
    const double value = c / (a - 1) * bracket;
    if (std::isfinite(value) && value > 0 && std::fabs(bracket) >= 1e-3 * std::max(1.0, ratio))
      return std::log(value);
  }
  auto term = [&](double x, bool* past_peak) {
    const double s = kPi * std::sinh(x);
    const double log_p = -softplus(-s), log_1mp = -softplus(s);
    const double p = std::exp(log_p), one_minus_p = std::exp(log_1mp);
    const double y = p * rate;
    // log(1 - (1 + y)^-r), with its small-y expansion r y (1 - (r+1) y / 2) where the direct form underflows.
    const double log_gain = y < 1e-8 ? std::log(r) + log_p + std::log(rate) + std::log1p(-(r + 1) * y / 2)
                                     : std::log(-std::expm1(-r * std::log1p(y)));
    if (x > 0) {
      *past_peak = b * kPi * std::cosh(x) * p > 1;
    } else {
      *past_peak = y < 1e-3 && a * kPi * std::cosh(x) * one_minus_p > 1;
    }
    return (a - 1) * log_p + b * log_1mp + log_gain + std::log(kPi * std::cosh(x));
  };
  const double log_integral = log_double_exponential_integral(term);
  return log_integral - log_beta(a, b);
}

}  // namespace

namespace bg_family {

void validate_time(const char* what, double v) {
  if (!std::isfinite(v) || v < 0)
    throw std::invalid_argument(std::string(what) + " must be non-negative and finite (got " +
                                number_text(v) + ")");
}

void validate_history(double x, double t_x, double T) {
  validate_summary_row(SummaryRow{x, t_x, T, 1});
}

void validate_count(int k) {
  if (k < 0)
    throw std::invalid_argument("number of purchases must be non-negative (got " + std::to_string(k) + ")");
}

namespace {

// What one evaluation needs of the parameters alone.
struct Terms {
  double r, alpha, a, b, log_alpha, log_a, lgamma_r, psi_r = 0, psi_b = 0, psi_ab = 0;
  double extra;  // 1 for MBG/NBD's dropout chance at time 0
  bool gradient;
  Terms(Variant variant, const double* p, bool with_gradient)
      : r(p[0]),
        alpha(p[1]),
        a(p[2]),
        b(p[3]),
        log_alpha(std::log(p[1])),
        log_a(std::log(p[2])),
        lgamma_r(math::lgamma(p[0])),
        extra(variant == Variant::mbgnbd ? 1.0 : 0.0),
        gradient(with_gradient) {
    if (gradient) {
      psi_r = math::digamma(r);
      psi_b = math::digamma(b);
      psi_ab = math::digamma(a + b);
    }
  }
};

// Terms that depend on the frequency only: ln A1 + ln A2 of [FH] (m = x, +1 for MBG/NBD), and their gradient
// added to g.
double frequency_part(const Terms& q, double x, double* g) {
  const double m = x + q.extra, rx = q.r + x;
  if (q.gradient) {
    g[0] += math::digamma(rx) - q.psi_r + q.log_alpha;
    g[1] += q.r / q.alpha;
    if (m > 0) {
      const double psi_abm = math::digamma(q.a + q.b + m);
      g[2] += q.psi_ab - psi_abm;
      g[3] += math::digamma(q.b + m) - q.psi_b + q.psi_ab - psi_abm;
    }
  }
  return math::lgamma(rx) - q.lgamma_r + q.r * q.log_alpha + (m > 0 ? log_beta_ratio(q.a, q.b, m) : 0.0);
}

// The per-row part, weight w, summed into the accumulators:
//   m = 0 (BG/NBD, x = 0): ln A3 = -r ln(alpha + T) only;
//   m > 0: ln(A3 + A4) = -(r+x) ln(alpha+T) + softplus(u), u = ln(a/(b+m-1)) + (r+x)
//   ln((alpha+T)/(alpha+t_x)),
//          the probability of "died at t_x" vs "alive at T" being sigmoid(u).
struct RowSums {
  double value = 0, r = 0, alpha = 0, dead = 0;
};

inline void row_part(const Terms& q, double x, double log_q, double T, double t_x, double w, RowSums* s) {
  const double rx = q.r + x, at = q.alpha + T, l1 = std::log(at);
  if (x + q.extra == 0) {
    s->value -= w * rx * l1;
    if (q.gradient) {
      s->r += w * l1;
      s->alpha += w * rx / at;
    }
    return;
  }
  const double atx = q.alpha + t_x;
  const double l2 = x == 0 ? q.log_alpha : std::log(atx);  // MBG/NBD, x = 0: t_x = 0
  const double u = log_q + rx * (l1 - l2);
  const double e = std::exp(-std::fabs(u));
  s->value += w * ((u > 0 ? u : 0.0) + std::log1p(e) - rx * l1);
  if (q.gradient) {
    const double dead = u > 0 ? 1 / (1 + e) : e / (1 + e);
    s->r += w * ((1 - dead) * l1 + dead * l2);
    s->alpha += w * rx * ((1 - dead) / at + dead / atx);
    s->dead += w * dead;
  }
}

// Adds the row sums of frequency x to the total and the gradient.
double finish_rows(const Terms& q, double x, const RowSums& s, double* g) {
  if (q.gradient) {
    g[0] -= s.r;
    g[1] -= s.alpha;
    if (x + q.extra > 0) {  // m = 0 has no dead part
      g[2] += s.dead / q.a;
      g[3] -= s.dead / (q.b + x + q.extra - 1);
    }
  }
  return s.value;
}

double log_q_of(const Terms& q, double x) {
  const double m = x + q.extra;
  return m > 0 ? q.log_a - std::log(q.b + m - 1) : 0.0;
}

class GroupedRows : public PreparedRows {
 public:
  GroupedRows(Variant variant, const std::vector<ModelRow>& rows) : variant_(variant) {
    // Counting sort by frequency (integers): O(rows + max frequency), no comparison sort of a million rows.
    double max_x = 0;
    for (const ModelRow& row : rows) {
      max_x = std::max(max_x, row.key[0]);
      customers_ += row.weight;
    }
    if (max_x > 1e7) throw std::invalid_argument("frequency " + number_text(max_x) + " is too large");
    const size_t distinct = static_cast<size_t>(max_x) + 1;
    std::vector<size_t> count(distinct + 1, 0);
    for (const ModelRow& row : rows) ++count[static_cast<size_t>(row.key[0]) + 1];
    for (size_t i = 1; i <= distinct; ++i) count[i] += count[i - 1];
    t_.resize(rows.size());
    recency_.resize(rows.size());
    weight_.resize(rows.size());
    std::vector<size_t> next(count.begin(), count.end() - 1);
    for (const ModelRow& row : rows) {
      const size_t at = next[static_cast<size_t>(row.key[0])]++;
      t_[at] = row.key[2];
      recency_[at] = row.key[1];
      weight_[at] = row.weight;
    }
    for (size_t x = 0; x < distinct; ++x) {
      if (count[x + 1] == count[x]) continue;
      Group g{static_cast<double>(x), count[x], count[x + 1], 0.0};
      for (size_t i = g.begin; i < g.end; ++i) g.weight += weight_[i];
      groups_.push_back(g);
    }
  }
  double customers() const override { return customers_; }
  size_t distinct_rows() const override { return t_.size(); }

  double log_likelihood(const double* params, double* gradient,
                        const std::function<void()>& check_interrupt) override {
    const Terms q(variant_, params, gradient != nullptr);
    double total = 0, g[4] = {0, 0, 0, 0}, group_g[4];
    std::size_t since_check = 0;
    for (const Group& group : groups_) {
      since_check += group.end - group.begin + 1;
      if (check_interrupt && since_check > 65536) {  // ~1 ms of rows
        check_interrupt();
        since_check = 0;
      }
      std::fill(group_g, group_g + 4, 0.0);
      total += group.weight * frequency_part(q, group.x, group_g);
      for (int i = 0; i < 4; ++i) g[i] += group.weight * group_g[i];
      RowSums sums;
      const double log_q = log_q_of(q, group.x);
      for (size_t i = group.begin; i < group.end; ++i)
        row_part(q, group.x, log_q, t_[i], recency_[i], weight_[i], &sums);
      total += finish_rows(q, group.x, sums, g);
    }
    if (gradient) std::copy(g, g + 4, gradient);
    return total;
  }

 private:
  struct Group {
    double x;
    size_t begin, end;  // range in the arrays below
    double weight;      // sum of the weights in the group
  };
  Variant variant_;
  std::vector<Group> groups_;
  std::vector<double> t_, recency_, weight_;
  double customers_ = 0;
};

}  // namespace

std::unique_ptr<PreparedRows> prepare(Variant variant, const std::vector<ModelRow>& rows) {
  return std::make_unique<GroupedRows>(variant, rows);
}

double row_log_likelihood(Variant variant, const double* params, const ModelRow& row, double* gradient) {
  const Terms q(variant, params, gradient != nullptr);
  const double x = row.key[0];
  double g[4] = {0, 0, 0, 0};
  RowSums sums;
  double value = frequency_part(q, x, g);
  row_part(q, x, log_q_of(q, x), row.key[2], row.key[1], 1.0, &sums);
  value += finish_rows(q, x, sums, g);
  if (gradient) std::copy(g, g + 4, gradient);
  return value;
}

// r = a = b = 1 and alpha from the mean purchase rate, E[lambda] = r / alpha ~ mean x / mean T, so that the
// start does not depend on the time unit of the data.
void start(const std::vector<ModelRow>& rows, double* params) {
  const RowMeans means = row_means(rows);
  params[0] = params[2] = params[3] = 1;
  params[1] = means.t / std::max(means.x, 0.01);
}

double p_alive(const double* p, double x, double t_x, double T, double m) {
  // 1 / (1 + a/(b+m-1) ((alpha+T)/(alpha+t_x))^(r+x)) ([FH] 2008 note, eq. 2; [BDF07] for m = x + 1).
  const double u = std::log(p[2] / (p[3] + m - 1)) + (p[0] + x) * std::log1p((T - t_x) / (p[1] + t_x));
  return u > 0 ? std::exp(-u) / (1 + std::exp(-u)) : 1 / (1 + std::exp(u));
}

double expected_purchases_unconditional(double r, double alpha, double a, double b, double t) {
  validate_time("t", t);
  if (t == 0) return 0;
  return std::exp(log_mixture_expected_purchases(r, alpha, a, b, t));
}

double probability_of_purchases(double r, double alpha, double a, double b, double t, int k) {
  validate_time("t", t);
  validate_count(k);
  if (t == 0) return k == 0 ? 1.0 : 0.0;
  // [FHL05] eq. 8: alive throughout with k purchases (negative binomial term), plus, for k > 0, dropped out
  // after the k-th purchase: B(a+1, b+k-1)/B(a,b) * P(NB(r, alpha/(alpha+t)) >= k), the bracket
  // 1 - sum_{j<k} NB(j) of eq. 8 being the regularised incomplete beta I_{t/(alpha+t)}(k, r).
  const double log_alive = log_beta_ratio(a, b, k) + math::lgamma(r + k) - math::lgamma(r) -
                           math::lgamma(k + 1.0) + r * std::log(alpha / (alpha + t)) +
                           k * std::log(t / (alpha + t));
  double p = std::exp(log_alive);
  if (k > 0) {
    const double log_dead = log_beta(a + 1, b + k - 1) - log_beta(a, b);
    p += std::exp(log_dead) * math::ibeta(static_cast<double>(k), r, t / (alpha + t));
  }
  return p;
}

}  // namespace bg_family

namespace {

double checked(double value, const char* what, const double* p) {
  return finite_prediction(value, "bg/nbd", what, bg_family::kParameterNames, 4, p);
}

double bgnbd_p_alive(const double* p, double x, double t_x, double T) {
  bg_family::validate_history(x, t_x, T);
  return x == 0 ? 1.0 : checked(bg_family::p_alive(p, x, t_x, T, x), "p_alive", p);
}

double bgnbd_expected_purchases(const double* p, double x, double t_x, double T, double horizon) {
  bg_family::validate_history(x, t_x, T);
  bg_family::validate_time("horizon", horizon);
  if (horizon == 0) return 0;
  // [FHL05] eq. 10 = P(alive) * E[X(horizon)] under the posterior lambda ~ Gamma(r+x, alpha+T),
  // p ~ Beta(a, b+x) of a customer alive at T (the process is memoryless given alive).
  return checked(bgnbd_p_alive(p, x, t_x, T) *
                     bg_family::expected_purchases_unconditional(p[0] + x, p[1] + T, p[2], p[3] + x, horizon),
                 "expected purchases", p);
}

double bgnbd_expected_purchases_unconditional(const double* p, double t) {
  return checked(bg_family::expected_purchases_unconditional(p[0], p[1], p[2], p[3], t), "expected purchases",
                 p);
}

double bgnbd_probability_of_purchases(const double* p, double t, int k) {
  return checked(bg_family::probability_of_purchases(p[0], p[1], p[2], p[3], t, k),
                 "probability of purchases", p);
}

}  // namespace

const ModelDescription kBgNbdModel = bg_family::description<bg_family::Variant::bgnbd>(
    "bgnbd_model", "bg/nbd", bgnbd_p_alive, bgnbd_expected_purchases, bgnbd_expected_purchases_unconditional,
    bgnbd_probability_of_purchases, simulate_bgnbd_rows);

}  // namespace loyalty
