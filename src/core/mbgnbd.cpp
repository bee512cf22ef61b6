#include "mbgnbd.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "bgnbd.hpp"
#include "number_text.hpp"

namespace loyalty {
namespace {

void validate(const MbgNbdParams& p) {
  bg_family::validate_params("mbg/nbd", p.r, p.alpha, p.a, p.b);
}

void validate_history(double x, double t_x, double T) {
  SummaryRow row;
  row.frequency = x;
  row.recency = t_x;
  row.t = T;
  validate_summary_row(row);
}

void validate_time(const char* what, double v) {
  if (!std::isfinite(v) || v < 0)
    throw std::invalid_argument(std::string(what) + " must be non-negative and finite (got " +
                                number_text(v) + ")");
}

}  // namespace

double mbgnbd_log_likelihood(const MbgNbdParams& params, const std::vector<SummaryRow>& rows) {
  validate(params);
  const bg_family::GroupedRows data(rows);
  const double p[4] = {params.r, params.alpha, params.a, params.b};
  return data.log_likelihood(bg_family::Variant::mbgnbd, p, nullptr);
}

double mbgnbd_log_likelihood_gradient(const MbgNbdParams& params, const std::vector<SummaryRow>& rows,
                                      double gradient[4]) {
  validate(params);
  const bg_family::GroupedRows data(rows);
  const double p[4] = {params.r, params.alpha, params.a, params.b};
  return data.log_likelihood(bg_family::Variant::mbgnbd, p, gradient);
}

MbgNbdFit mbgnbd_fit(const std::vector<SummaryRow>& rows, const FitOptions& options) {
  const bg_family::FitResult r = bg_family::fit(bg_family::Variant::mbgnbd, rows, options);
  MbgNbdFit out;
  out.params = {r.params[0], r.params[1], r.params[2], r.params[3]};
  out.report = r.report;
  return out;
}

double mbgnbd_p_alive(const MbgNbdParams& params, double x, double t_x, double T) {
  validate(params);
  validate_history(x, t_x, T);
  // Bayes on the two parts of the likelihood: alive at T versus dropped out right after the last purchase
  // (at t_x; at time 0 when x = 0), [BDF07].
  const double u =
      std::log(params.a / (params.b + x)) + (params.r + x) * std::log1p((T - t_x) / (params.alpha + t_x));
  return u > 0 ? std::exp(-u) / (1 + std::exp(-u)) : 1 / (1 + std::exp(u));
}

double mbgnbd_expected_purchases(const MbgNbdParams& params, double x, double t_x, double T, double horizon) {
  validate(params);
  validate_history(x, t_x, T);
  validate_time("horizon", horizon);
  if (horizon == 0) return 0;
  // Given alive at T the posterior is lambda ~ Gamma(r+x, alpha+T), p ~ Beta(a, b+x+1) (survived time 0 and x
  // purchases), and the future follows BG/NBD dynamics: P(alive) times the BG/NBD E[X(horizon)] at those
  // parameters. Equals lifetimes' (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+h))^(r+x) 2F1(r+x, b+x+1; a+b+x;
  // h/(alpha+T+h))] P(alive), without its singularity at a = 1.
  const BgNbdParams posterior{params.r + x, params.alpha + T, params.a, params.b + x + 1};
  return mbgnbd_p_alive(params, x, t_x, T) * bgnbd_expected_purchases_unconditional(posterior, horizon);
}

double mbgnbd_expected_purchases_unconditional(const MbgNbdParams& params, double t) {
  validate(params);
  validate_time("t", t);
  // E[(1-p) (1 - exp(-lambda p t)) / p]: survive time 0 with probability 1-p, then BG/NBD. Since
  // (1-p) Beta(p; a, b) = b/(a+b) Beta(p; a, b+1), this is b/(a+b) times the BG/NBD E[X(t)] at b+1, i.e.
  // lifetimes' b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))].
  const BgNbdParams shifted{params.r, params.alpha, params.a, params.b + 1};
  return params.b / (params.a + params.b) * bgnbd_expected_purchases_unconditional(shifted, t);
}

double mbgnbd_probability_of_purchases(const MbgNbdParams& params, double t, int k) {
  validate(params);
  validate_time("t", t);
  if (k < 0)
    throw std::invalid_argument("number of purchases must be non-negative (got " + std::to_string(k) + ")");
  // Dropped out at time 0 (probability E[p] = a/(a+b)): no purchases; otherwise BG/NBD with p ~ Beta(a, b+1)
  // (the same reweighting as above) and [FHL05] eq. 8.
  const BgNbdParams shifted{params.r, params.alpha, params.a, params.b + 1};
  const double survived = params.b / (params.a + params.b);
  return (k == 0 ? params.a / (params.a + params.b) : 0.0) +
         survived * bgnbd_probability_of_purchases(shifted, t, k);
}

}  // namespace loyalty
