// The BG/NBD model of customer-base analysis ("buy till you die", non-contractual, continuous time):
// likelihood with analytic gradient, maximum-likelihood fit, P(alive), conditional and unconditional expected
// purchases, and the distribution of the number of purchases in an interval.
//
// Sources
//   [FHL05] Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an alternative to the
//           Pareto/NBD model", Marketing Science 24(2), 275-284 (equation numbers below are theirs).
//   [FH]    Fader, Hardie & Lee, "Implementing the BG/NBD model for customer base analysis in Excel" (note,
//           2005; the log-likelihood as ln A1 + ln A2 + ln(A3 + [x > 0] A4)) and "Computing P(alive) using
//           the BG/NBD model" (note, 2008).
//   CDNOW estimates in [FHL05]: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
//
// Model. While alive a customer buys as a Poisson process of rate lambda ~ Gamma(r, alpha) (rate alpha);
// after each purchase he drops out with probability p ~ Beta(a, b). Data per customer: x repeat purchases,
// the last at t_x, observed over (0, T] (SummaryRow). Times are in the data's own unit; alpha is in that
// unit.
//
// The model is the description kBgNbdModel (model.hpp): fit, likelihood and predictions through
// model_api.hpp with BgNbdParams. The MBG/NBD model (mbgnbd.hpp) differs only by a dropout chance at time 0;
// both share the machinery of namespace bg_family below. Pure C++: no PostgreSQL header.
#pragma once

#include "customer_summary_row.hpp"
#include "model.hpp"
#include "model_api.hpp"

namespace loyalty {

struct BgNbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

LOYALTY_MODEL(BgNbdParams, SummaryRow, kBgNbdModel, BgNbdFit);

// Machinery shared by BG/NBD and MBG/NBD. With m = x + extra_dropouts (extra_dropouts = 0: BG/NBD, 1:
// MBG/NBD, whose customers may also drop out right after the first purchase), both likelihoods read
//   l = lgamma(r+x) - lgamma(r) + r log(alpha) + lbeta(a, b+m) - lbeta(a, b) - (r+x) log(alpha+T)
//       + [m > 0] log(1 + a/(b+m-1) ((alpha+T)/(alpha+t_x))^(r+x)).
namespace bg_family {

enum class Variant { bgnbd = 0, mbgnbd = 1 };

constexpr const char* kParameterNames[] = {"r", "alpha", "a", "b"};

// Validated rows grouped by frequency (counting sort), so that a likelihood evaluation pays the lgamma and
// digamma terms once per distinct frequency and only a few log/exp per row.
std::unique_ptr<PreparedRows> prepare(Variant variant, const std::vector<ModelRow>& rows);

// One row's log-likelihood and gradient d/d(r, alpha, a, b), in one pass.
double row_log_likelihood(Variant variant, const double* params, const ModelRow& row, double* gradient);

// The two as the entries of a description.
template <Variant variant>
std::unique_ptr<PreparedRows> prepare_rows(const std::vector<ModelRow>& rows) {
  return prepare(variant, rows);
}
template <Variant variant>
double row_log_likelihood(const double* params, const ModelRow& row, double* gradient) {
  return row_log_likelihood(variant, params, row, gradient);
}

// Start (r = a = b = 1, alpha from the mean purchase rate) and reference point (penalized_fit.hpp).
void start(const std::vector<ModelRow>& rows, double* params);

// The description of a variant: everything shared, and the variant's own predictions and simulator.
template <Variant variant>
ModelDescription description(const char* sql_type, const char* label,
                             decltype(ModelDescription::p_alive) p_alive,
                             decltype(ModelDescription::expected_purchases) expected_purchases,
                             decltype(ModelDescription::expected_purchases_unconditional) unconditional,
                             decltype(ModelDescription::probability_of_purchases) probability_of_purchases,
                             decltype(ModelDescription::simulate) simulate) {
  return {sql_type,
          label,
          4,
          kParameterNames,
          RowKind::continuous,
          validate_continuous_row,
          prepare_rows<variant>,
          start,
          start,
          0,
          row_log_likelihood<variant>,
          p_alive,
          expected_purchases,
          unconditional,
          probability_of_purchases,
          simulate};
}

// E[X(t)] of [FHL05] eq. 9 for a customer alive at 0 with parameters (r, alpha, a, b).
double expected_purchases_unconditional(double r, double alpha, double a, double b, double t);

// P(X(t) = k) of [FHL05] eq. 8.
double probability_of_purchases(double r, double alpha, double a, double b, double t, int k);

// 1 / (1 + a/(b+m-1) ((alpha+T)/(alpha+t_x))^(r+x)): the "alive at T" share of the likelihood.
double p_alive(const double* params, double x, double t_x, double T, double m);

// Throw std::invalid_argument naming the value for an invalid history, time or count.
void validate_history(double x, double t_x, double T);
void validate_time(const char* what, double v);
void validate_count(int k);

}  // namespace bg_family

}  // namespace loyalty
