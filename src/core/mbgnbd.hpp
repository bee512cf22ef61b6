// The MBG/NBD model (modified BG/NBD) of customer-base analysis: likelihood with analytic gradient, maximum-
// likelihood fit, P(alive), conditional and unconditional expected purchases, and P(X(t) = k).
//
// Sources
//   [BDF07] Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of models for
//   customer
//           base analysis", International Journal of Research in Marketing 24(3), 201-209.
//   [FHL05] Fader, Hardie & Lee (2005), Marketing Science 24(2) (the BG/NBD model it modifies; bgnbd.hpp).
//   The parameterisation and formulas are those of the lifetimes library's ModifiedBetaGeoFitter.
//
// Model. As BG/NBD (purchase rate lambda ~ Gamma(r, alpha) while alive, dropout probability p ~ Beta(a, b)
// after each purchase), except that a customer may also drop out right after the first purchase, at time 0,
// so that customers without repeat purchases need not be alive. Likelihood:
//   L = Gamma(r+x) alpha^r / Gamma(r) * B(a, b+x+1)/B(a, b) * (alpha+T)^-(r+x)
//       * [1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)]                       (for every x, including x = 0)
// computed by the BG/NBD machinery (bg_family in bgnbd.hpp, m = x + 1).
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <vector>

#include "customer_summary_row.hpp"
#include "model_fit.hpp"

namespace loyalty {

struct MbgNbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

struct MbgNbdFit {
  MbgNbdParams params;
  FitReport report;
};

// Total log-likelihood of the rows (each weighted by row.weight). Throws std::invalid_argument for invalid
// parameters or rows, or when `rows` is empty.
double mbgnbd_log_likelihood(const MbgNbdParams& params, const std::vector<SummaryRow>& rows);

// The same, and its analytic gradient d LL / d(r, alpha, a, b) in `gradient`.
double mbgnbd_log_likelihood_gradient(const MbgNbdParams& params, const std::vector<SummaryRow>& rows,
                                      double gradient[4]);

// Maximum-likelihood fit (L-BFGS on log parameters, penalised as FitOptions says).
MbgNbdFit mbgnbd_fit(const std::vector<SummaryRow>& rows, const FitOptions& options = {});

// P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)); below 1 also when x = 0.
double mbgnbd_p_alive(const MbgNbdParams& params, double x, double t_x, double T);

// E[X(T, T + horizon) | x, t_x, T]: expected purchases in the next `horizon` time units.
double mbgnbd_expected_purchases(const MbgNbdParams& params, double x, double t_x, double T, double horizon);

// E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired.
double mbgnbd_expected_purchases_unconditional(const MbgNbdParams& params, double t);

// P(X(t) = k).
double mbgnbd_probability_of_purchases(const MbgNbdParams& params, double t, int k);

}  // namespace loyalty
