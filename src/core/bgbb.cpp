#include "bgbb.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <vector>
#include <stdexcept>
#include <string>

#include "math_policy.hpp"
#include "number_text.hpp"
#include "customer_simulator.hpp"
#include "gamma_ratio_series.hpp"

namespace loyalty {
namespace {

bool is_count(double v) {
  return std::isfinite(v) && v >= 0 && v == std::floor(v);
}

void check_history(double x, double t_x, double n) {
  auto fail = [&](const char* what) {
    throw std::invalid_argument(std::string(what) + " (frequency " + number_text(x) + ", recency " +
                                number_text(t_x) + ", periods " + number_text(n) + ")");
  };
  if (!is_count(n) || n < 1) fail("bgbb periods must be a positive integer");
  if (!is_count(x)) fail("bgbb frequency must be a non-negative integer");
  if (!is_count(t_x)) fail("bgbb recency must be a non-negative integer");
  if (x > t_x || t_x > n) fail("bgbb data must satisfy frequency <= recency <= periods");
  if (x == 0 && t_x != 0) fail("bgbb recency must be 0 when frequency is 0");
}

// log(exp(u) + exp(v)) without overflow.
double log_add(double u, double v) {
  if (u == -std::numeric_limits<double>::infinity()) return v;
  if (v == -std::numeric_limits<double>::infinity()) return u;
  double m = std::max(u, v);
  return m + std::log1p(std::exp(std::min(u, v) - m));
}

// The beta-function ratios of FHS, written as gamma ratios whose large arguments pair up, so that they stay
// finite and accurate for any number of opportunities m (lgamma itself overflows beyond ~2.5e305):
//   log B(a+y, b+m-x)/B(a,b) = log G(a+y)/G(a) + log G(a+b)/G(b) + log G(b+m-x)/G(a+b+m+y-x)   (y = x, x+1)
double log_transaction_part(double a, double b, double y, double x, double m) {
  const double value =
      log_gamma_ratio(a, y) + log_gamma_ratio(b, a) + log_gamma_ratio(a + b + m + y - x, -(a + y));
  if (std::isfinite(value)) return value;
  // A huge alpha or beta (the first pairing subtracts two infinities): the same terms paired by m,
  //   log G(a+y)/G(a) + log G(b+m-x)/G(b) - log G(a+b+m+y-x)/G(a+b).
  return log_gamma_ratio(a, y) + log_gamma_ratio(b, m - x) - log_gamma_ratio(a + b, m + y - x);
}
//   log B(g+e, d+m)/B(g,d) = log G(g+e)/G(g) + log G(g+d)/G(d) + log G(d+m)/G(g+d+m+e)           (e = 0, 1)
double log_dropout_part(double g, double d, double e, double m) {
  const double log_g = e == 0 ? 0.0 : std::log(g);
  const double value = log_g + log_gamma_ratio(d, g) + log_gamma_ratio(g + d + m + e, -(g + e));
  if (std::isfinite(value)) return value;
  // A huge gamma or delta: paired by m, log G(d+m)/G(d) - log G(g+d+m+e)/G(g+d).
  return log_g + log_gamma_ratio(d, m) - log_gamma_ratio(g + d, m + e);
}

// log sum_{t=n+1}^{n+m} B(g, d+t)/B(g, d): the expected number of opportunities n+1..n+m at which a customer
// is still alive, averaged over theta ~ Beta(g, d) (FHS eqs. (8), (13)). m >= 1.
double log_sum_alive(double g, double d, double n, double m) {
  // Short horizons: exact sum with the term ratio B(g, d+t+1)/B(g, d+t) = (d+t)/(g+d+t), all ratios < 1.
  if (m <= 10000) {
    const double first = log_dropout_part(g, d, 0, n + 1);
    // Counted by k, not by t: beyond 2^53, n + 1 == n and a loop over t would never end.
    double sum = 0, term = 1;
    for (double k = 0; k < m; ++k) {
      const double t = n + 1 + k;
      sum += term;
      term *= (d + t) / (g + d + t);
    }
    return first + std::log(sum);
  }
  // Long horizons: the closed form of FHS eqs. (8)/(13),
  //   d/(g-1) * G(g+d)/G(1+d) * [R(n) - R(n+m)],  R(k) = G(1+d+k)/G(g+d+k),
  // whose bracket and g-1 share their sign: log |bracket| = log R(n) + log(1 - exp(-|log R(n) - log
  // R(n+m)|)), the difference taken without cancellation however large n is (log_gamma_ratio_difference). At
  // g = 1 it becomes d * [psi(1+d+n+m) - psi(1+d+n)], for large arguments log((1+d+n+m-1/2)/(1+d+n-1/2))
  // (A&S 6.3.18).
  const double gm1 = g - 1, z = 1 + d + n;
  if (std::fabs(gm1) < 1e-12) {
    const double psi_difference =
        z >= 1e6 ? std::log1p(m / (z - 0.5)) : math::digamma(z + m) - math::digamma(z);
    return std::log(d) + std::log(psi_difference);
  }
  const double log_r_n = -log_gamma_ratio(z, gm1);
  const double difference = log_gamma_ratio_difference(z, m, gm1);  // log R(n) - log R(n+m)
  const double log_bracket =
      std::max(log_r_n, log_r_n - difference) + std::log(-std::expm1(-std::fabs(difference)));
  return std::log(d) - std::log(std::fabs(gm1)) + log_gamma_ratio(1 + d, gm1) + log_bracket;
}

// Everything of the parameters alone that each row's likelihood needs.
struct ParamTerms {
  double a, b, g, d;
  double psi_a = 0, psi_b = 0, psi_ab = 0, psi_g = 0, psi_d = 0, psi_gd = 0;
  ParamTerms(const double* p, bool with_digamma) : a(p[0]), b(p[1]), g(p[2]), d(p[3]) {
    if (with_digamma) {
      psi_a = math::digamma(a);
      psi_b = math::digamma(b);
      psi_ab = math::digamma(a + b);
      psi_g = math::digamma(g);
      psi_d = math::digamma(d);
      psi_gd = math::digamma(g + d);
    }
  }
};

// FHS's likelihood in two parts: alive through all n opportunities, and died at the start of opportunity
// t_x + i + 1, i = 0 .. n - t_x - 1. Each part's log and, with derivatives, its gradient in (alpha, beta,
// gamma, delta).
struct LogPart {
  double log = 0;
  double grad[4] = {0, 0, 0, 0};
};

LogPart alive_part(const ParamTerms& q, double x, double n, bool derivatives) {
  const double a = q.a, b = q.b, g = q.g, d = q.d;
  LogPart alive;
  alive.log = log_transaction_part(a, b, x, x, n) + log_dropout_part(g, d, 0, n);
  if (derivatives) {
    alive.grad[0] = math::digamma(a + x) - math::digamma(a + b + n) - q.psi_a + q.psi_ab;
    alive.grad[1] = math::digamma(b + n - x) - math::digamma(a + b + n) - q.psi_b + q.psi_ab;
    alive.grad[2] = q.psi_gd - math::digamma(g + d + n);
    alive.grad[3] = math::digamma(d + n) - math::digamma(g + d + n) - q.psi_d + q.psi_gd;
  }
  return alive;
}

// The died part's first term (i = 0), by gamma ratios, and the series of the others relative to it: the
// ratio term_{i+1} / term_i = (b+t_x-x+i)/(a+b+t_x+i) * (d+t_x+i)/(g+d+t_x+i+1) < 1, a gamma-ratio series
// (gamma_ratio_series.hpp) in n - t_x terms, which bounds the work for any n - t_x. Both depend on x and
// t_x only: rows that share them share the series and differ in its length.
struct DiedStart {
  LogPart first;
  GammaRatioSeries series;
};

DiedStart died_start(const ParamTerms& q, double x, double t_x, bool derivatives) {
  const double a = q.a, b = q.b, g = q.g, d = q.d;
  DiedStart died;
  died.first.log = log_transaction_part(a, b, x, x, t_x) + log_dropout_part(g, d, 1, t_x);
  if (derivatives) {
    died.first.grad[0] = math::digamma(a + x) - math::digamma(a + b + t_x) - q.psi_a + q.psi_ab;
    died.first.grad[1] = math::digamma(b + t_x - x) - math::digamma(a + b + t_x) - q.psi_b + q.psi_ab;
    died.first.grad[2] = 1 / g - math::digamma(g + d + t_x + 1) + q.psi_gd;
    died.first.grad[3] = math::digamma(d + t_x) - math::digamma(g + d + t_x + 1) - q.psi_d + q.psi_gd;
  }
  died.series.pairs = 2;
  died.series.p[0] = b + t_x - x;
  died.series.q[0] = a + b + t_x;
  died.series.p[1] = d + t_x;
  died.series.q[1] = g + d + t_x + 1;
  return died;
}

// log L = log(alive + died) and its gradient, the died part being first * S(n - t_x).
double combine_parts(const LogPart& alive, const LogPart& first, const GammaRatioSum& sum, double* grad) {
  const double log_died = first.log + sum.log_sum;
  const double log_l = log_add(alive.log, log_died);
  if (grad) {
    const double w_alive = std::exp(alive.log - log_l), w_died = std::exp(log_died - log_l);
    const double series_gradient[4] = {sum.d_q[0], sum.d_p[0] + sum.d_q[0], sum.d_q[1],
                                       sum.d_p[1] + sum.d_q[1]};
    for (int k = 0; k < 4; ++k)
      grad[k] = w_alive * alive.grad[k] + w_died * (first.grad[k] + series_gradient[k]);
  }
  return log_l;
}

// log L(x, t_x, n) of FHS's likelihood and, when grad is non-null, its derivatives in (alpha, beta, gamma,
// delta).
double row_log_likelihood(const ParamTerms& q, double x, double t_x, double n, double* grad) {
  const LogPart alive = alive_part(q, x, n, grad != nullptr);
  if (t_x == n) {
    if (grad) std::copy(alive.grad, alive.grad + 4, grad);
    return alive.log;
  }
  const DiedStart died = died_start(q, x, t_x, grad != nullptr);
  return combine_parts(alive, died.first, gamma_ratio_sum(died.series, n - t_x, grad != nullptr), grad);
}

double model_row_log_likelihood(const ParamTerms& q, const ModelRow& row, double* grad) {
  return row_log_likelihood(q, row.key[0], row.key[1], row.key[2], grad);
}

// Rows prepared for repeated evaluation: identical rows merged, sorted by (x, t_x, n), so that the rows of
// one (x, t_x) share the died part's first term and one chained series (GammaRatioPrefixSums), each row's sum
// continued from the previous row's. An evaluation costs about one series per distinct (x, t_x) plus the
// steps between the n of its rows, instead of ~2,000 terms and a tail per row.
class BgBbRows : public PreparedRows {
 public:
  explicit BgBbRows(std::vector<ModelRow> rows) {
    std::sort(rows.begin(), rows.end(), [](const ModelRow& u, const ModelRow& v) {
      return std::lexicographical_compare(u.key, u.key + 3, v.key, v.key + 3);
    });
    for (const ModelRow& r : rows) {
      customers_ += r.weight;
      if (!rows_.empty() && std::equal(r.key, r.key + 3, rows_.back().key))
        rows_.back().weight += r.weight;
      else
        rows_.push_back(r);
    }
  }
  double customers() const override { return customers_; }
  std::size_t distinct_rows() const override { return rows_.size(); }

  double log_likelihood(const double* params, double* gradient,
                        const std::function<void()>& check_interrupt) override {
    const bool derivatives = gradient != nullptr;
    const ParamTerms q(params, derivatives);
    double total = 0, row_gradient[4] = {0, 0, 0, 0};
    if (gradient) std::fill(gradient, gradient + 4, 0.0);
    // Interrupts: every 256 rows, and within a group whenever its series has done ~2^16 steps (~1 ms) since.
    std::size_t count = 0;
    double checked_work = 0;
    for (std::size_t i = 0; i < rows_.size();) {
      const double x = rows_[i].key[0], t_x = rows_[i].key[1];
      std::size_t end = i;
      while (end < rows_.size() && rows_[end].key[0] == x && rows_[end].key[1] == t_x) ++end;
      std::optional<DiedStart> died;
      std::optional<GammaRatioPrefixSums> sums;
      checked_work = 0;
      for (; i < end; ++i) {
        const ModelRow& r = rows_[i];
        const double n = r.key[2];
        const LogPart alive = alive_part(q, x, n, derivatives);
        double log_l = alive.log;
        if (t_x == n) {
          std::copy(alive.grad, alive.grad + 4, row_gradient);
        } else {
          if (!died) {
            died = died_start(q, x, t_x, derivatives);
            sums.emplace(died->series, derivatives);
          }
          log_l = combine_parts(alive, died->first, sums->at(n - t_x), derivatives ? row_gradient : nullptr);
        }
        total += r.weight * log_l;
        if (gradient)
          for (int k = 0; k < 4; ++k) gradient[k] += r.weight * row_gradient[k];
        if (check_interrupt &&
            (++count % 256 == 0 || (sums && sums->work() - checked_work >= kInterruptWork))) {
          check_interrupt();
          if (sums) checked_work = sums->work();
        }
      }
    }
    return total;
  }

  static std::unique_ptr<PreparedRows> prepare(const std::vector<ModelRow>& rows) {
    return std::make_unique<BgBbRows>(rows);
  }
  static double row_log_likelihood(const double* params, const ModelRow& r, double* gradient) {
    return model_row_log_likelihood(ParamTerms(params, gradient != nullptr), r, gradient);
  }

 private:
  static constexpr double kInterruptWork = 65536;
  std::vector<ModelRow> rows_;
  double customers_ = 0;
};

}  // namespace

void validate_bgbb_row(const BgBbRow& row) {
  check_history(row.frequency, row.recency, row.periods);
  if (!std::isfinite(row.weight) || row.weight <= 0)
    throw std::invalid_argument("bgbb weight must be positive and finite, got " + number_text(row.weight));
}

ModelRow to_model_row(const BgBbRow& row) {
  return ModelRow{{row.frequency, row.recency, row.periods}, row.weight};
}

namespace {

void validate_model_row(const ModelRow& row) {
  validate_bgbb_row(BgBbRow{row.key[0], row.key[1], row.key[2], row.weight});
}

constexpr const char* kParameterNames[] = {"alpha", "beta", "gamma", "delta"};

double finite_prediction(double value, const char* what, const double* params) {
  return loyalty::finite_prediction(value, "bgbb", what, kParameterNames, 4, params);
}

double bgbb_p_alive(const double* params, double x, double t_x, double n) {
  check_history(x, t_x, n);
  const ParamTerms q(params, false);
  double log_l = row_log_likelihood(q, x, t_x, n, nullptr);
  // FHS eq. (11): alive through opportunities 1..n+1 and x transactions in n.
  double log_num = log_transaction_part(q.a, q.b, x, x, n) + log_dropout_part(q.g, q.d, 0, n + 1);
  return std::min(1.0, finite_prediction(std::exp(log_num - log_l), "p_alive", params));
}

double bgbb_expected_purchases(const double* params, double x, double t_x, double n, double n_star) {
  check_history(x, t_x, n);
  if (!is_count(n_star))
    throw std::invalid_argument("bgbb n_star must be a non-negative integer, got " + number_text(n_star));
  if (n_star == 0) return 0;
  const ParamTerms q(params, false);
  double log_l = row_log_likelihood(q, x, t_x, n, nullptr);
  // FHS eq. (13): B(a+x+1, b+n-x)/B(a,b) * sum_{t=n+1}^{n+n*} B(g, d+t)/B(g,d) / L.
  double log_p = log_transaction_part(q.a, q.b, x + 1, x, n);
  return finite_prediction(std::exp(log_p + log_sum_alive(q.g, q.d, n, n_star) - log_l), "expected purchases",
                           params);
}

double bgbb_expected_purchases_unconditional(const double* params, double n) {
  if (!is_count(n))
    throw std::invalid_argument("bgbb periods must be a non-negative integer, got " + number_text(n));
  if (n == 0) return 0;
  // FHS eq. (8), as a/(a+b) * sum_{t=1}^{n} B(g, d+t)/B(g, d).
  const double a = params[0], b = params[1];
  const double mean_p = std::isfinite(a + b) ? a / (a + b) : a >= b ? 1 / (1 + b / a) : (a / b) / (1 + a / b);
  return finite_prediction(mean_p * std::exp(log_sum_alive(params[2], params[3], 0, n)), "expected purchases",
                           params);
}

double bgbb_probability_of_purchases(const double* params, double n, int k) {
  const double x = k;
  if (!is_count(n))
    throw std::invalid_argument("bgbb periods must be a non-negative integer, got " + number_text(n));
  if (!is_count(x) || x > n)
    throw std::invalid_argument("bgbb frequency must be an integer between 0 and periods " + number_text(n) +
                                ", got " + number_text(x));
  const double a = params[0], b = params[1], g = params[2], d = params[3];
  // log C(m, x) = log G(m-x+1+x)/G(m-x+1) - log x!.
  const double log_x_factorial = math::lgamma(x + 1);
  // FHS eq. (7). Alive through n: C(n, x) B(a+x, b+n-x)/B(a,b) * B(g, d+n)/B(g,d).
  double log_p = log_gamma_ratio(n - x + 1, x) - log_x_factorial + log_transaction_part(a, b, x, x, n) +
                 log_dropout_part(g, d, 0, n);
  // Died at the start of opportunity i+1, i = x .. n-1: C(i, x) B(a+x, b+i-x)/B(a,b) * B(g+1, d+i)/B(g,d),
  // term_{i+1}/term_i = (i+1)/(i+1-x) * (b+i-x)/(a+b+i) * (d+i)/(g+d+i+1): a gamma-ratio series in j = i - x
  // (gamma_ratio_series.hpp) with pairs (x+1, 1), (b, a+b+x), (d+x, g+d+x+1), terms falling like j^-(a+g+1):
  // bounded work for any n. (The binomial coefficient makes the terms rise before they fall; the series
  // rescales.)
  if (x < n) {
    GammaRatioSeries series;
    series.pairs = 3;
    series.p[0] = x + 1;
    series.q[0] = 1;
    series.p[1] = b;
    series.q[1] = a + b + x;
    series.p[2] = d + x;
    series.q[2] = g + d + x + 1;
    const double log_first = log_transaction_part(a, b, x, x, x) + log_dropout_part(g, d, 1, x);
    log_p = log_add(log_p, log_first + gamma_ratio_sum(series, n - x, false).log_sum);
  }
  return std::min(1.0, finite_prediction(std::exp(log_p), "probability of purchases", params));
}

}  // namespace

// A description reads as a table, one group of fields a line or two.
// clang-format off
const ModelDescription kBgBbModel = {
    "bgbb_model", "bgbb", 4, kParameterNames, RowKind::discrete,  // identity
    validate_model_row, BgBbRows::prepare, unit_parameters, unit_parameters, 5000,
    BgBbRows::row_log_likelihood,  // likelihood, fit (warm start from 5,000 rows: long histories cost more)
    bgbb_p_alive, bgbb_expected_purchases, bgbb_expected_purchases_unconditional, bgbb_probability_of_purchases,
    simulate_bgbb_rows};
// clang-format on

}  // namespace loyalty
