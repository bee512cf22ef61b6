// The BG/NBD model of customer-base analysis ("buy till you die", non-contractual, continuous time):
// likelihood with analytic gradient, maximum-likelihood fit, P(alive), conditional and unconditional expected
// purchases, and the distribution of the number of purchases in an interval.
//
// Sources
//   [FHL05] Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an alternative to the
//           Pareto/NBD model", Marketing Science 24(2), 275-284 (equation numbers below are theirs).
//   [FH]    Fader, Hardie & Lee, "Implementing the BG/NBD model for customer base analysis in Excel" (note,
//   2005;
//           the log-likelihood as ln A1 + ln A2 + ln(A3 + [x > 0] A4)) and "Computing P(alive) using the
//           BG/NBD model" (note, 2008).
//   CDNOW estimates in [FHL05]: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
//
// Model. While alive a customer buys as a Poisson process of rate lambda ~ Gamma(r, alpha) (rate alpha);
// after each purchase he drops out with probability p ~ Beta(a, b). Data per customer: x repeat purchases,
// the last at t_x, observed over (0, T] (SummaryRow). Times are in the data's own unit; alpha is in that
// unit.
//
// The MBG/NBD model (mbgnbd.hpp) differs only by a dropout chance at time 0; both share the machinery of
// namespace bg_family below. Pure C++: no PostgreSQL header.
#pragma once

#include <functional>
#include <vector>

#include "customer_summary_row.hpp"
#include "model_fit.hpp"

namespace loyalty {

struct BgNbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

struct BgNbdFit {
  BgNbdParams params;
  FitReport report;
};

// Total log-likelihood of the rows (each weighted by row.weight), [FHL05] section 3 / [FH]. Throws
// std::invalid_argument for invalid parameters or rows, or when `rows` is empty.
double bgnbd_log_likelihood(const BgNbdParams& params, const std::vector<SummaryRow>& rows);

// The same, and its analytic gradient d LL / d(r, alpha, a, b) in `gradient`.
double bgnbd_log_likelihood_gradient(const BgNbdParams& params, const std::vector<SummaryRow>& rows,
                                     double gradient[4]);

// Maximum-likelihood fit (L-BFGS on log parameters, penalised as FitOptions says). Throws
// std::invalid_argument for invalid or no rows; a fit that fails is reported by report.converged = false, not
// thrown.
BgNbdFit bgnbd_fit(const std::vector<SummaryRow>& rows, const FitOptions& options = {});

// P(alive at T | x, t_x, T), [FH] 2008 note (1 when x = 0).
double bgnbd_p_alive(const BgNbdParams& params, double x, double t_x, double T);

// E[X(T, T + horizon) | x, t_x, T]: expected purchases in the next `horizon` time units, [FHL05] eq. 10.
double bgnbd_expected_purchases(const BgNbdParams& params, double x, double t_x, double T, double horizon);

// E[X(t)]: expected purchases in (0, t] of a customer just acquired, [FHL05] eq. 9.
double bgnbd_expected_purchases_unconditional(const BgNbdParams& params, double t);

// P(X(t) = k), [FHL05] eq. 8.
double bgnbd_probability_of_purchases(const BgNbdParams& params, double t, int k);

// Machinery shared by BG/NBD and MBG/NBD. With m = x + extra_dropouts (extra_dropouts = 0: BG/NBD, 1:
// MBG/NBD, whose customers may also drop out right after the first purchase), both likelihoods read
//   l = lgamma(r+x) - lgamma(r) + r log(alpha) + lbeta(a, b+m) - lbeta(a, b) - (r+x) log(alpha+T)
//       + [m > 0] log(1 + a/(b+m-1) ((alpha+T)/(alpha+t_x))^(r+x)).
namespace bg_family {

enum class Variant { bgnbd = 0, mbgnbd = 1 };

// Validated rows grouped by frequency, so that a likelihood evaluation pays the lgamma/digamma terms once per
// distinct frequency and only a few log/exp per row.
class GroupedRows {
 public:
  explicit GroupedRows(const std::vector<SummaryRow>& rows);  // validates; throws std::invalid_argument
  double customers() const { return customers_; }
  double mean_frequency() const { return sum_x_ / customers_; }
  double mean_t() const { return sum_t_ / customers_; }

  // Total log-likelihood at (r, alpha, a, b); fills d/d(r, alpha, a, b) when gradient is non-null.
  double log_likelihood(Variant variant, const double params[4], double* gradient) const;

 private:
  struct Group {
    double x;
    size_t begin, end;  // range in the arrays below
    double weight;      // sum of the weights in the group
  };
  std::vector<Group> groups_;
  std::vector<double> t_, recency_, weight_;
  double customers_ = 0, sum_x_ = 0, sum_t_ = 0;
};

struct FitResult {
  double params[4];
  FitReport report;
};

// Fits either variant (L-BFGS on log parameters). `model` names the model in messages.
FitResult fit(Variant variant, const std::vector<SummaryRow>& rows, const FitOptions& options);

// Throws std::invalid_argument unless all four parameters are positive and finite.
void validate_params(const char* model, double r, double alpha, double a, double b);

}  // namespace bg_family

}  // namespace loyalty
