// BG/BB: the beta-geometric/beta-binomial model of discrete-time, noncontractual customer behaviour.
//
// Source: Fader, Hardie & Shang (2010), "Customer-Base Analysis in a Discrete-Time Noncontractual Setting",
// Marketing Science 29(6), 1086-1108 (FHS below). A customer has n transaction opportunities after the first
// purchase. While alive she buys at each opportunity with probability p, p ~ Beta(alpha, beta) across
// customers; at the start of each opportunity she dies, for good, with probability theta, theta ~ Beta(gamma,
// delta). Her data are x repeat transactions, t_x the opportunity of the last one (0 when x = 0), n
// opportunities.
//
//   likelihood (FHS):
//     L(x, t_x, n) = B(a+x, b+n-x)/B(a,b) * B(g, d+n)/B(g,d)
//                  + sum_{i=0}^{n-t_x-1} B(a+x, b+t_x-x+i)/B(a,b) * B(g+1, d+t_x+i)/B(g,d)
//   P(X(n) = x), FHS eq. (7)
//   E[X(n)] = a/(a+b) * sum_{t=1}^{n} B(g, d+t)/B(g,d)
//           = a/(a+b) * d/(g-1) * [1 - G(g+d)/G(g+d+n) * G(1+d+n)/G(1+d)],                FHS eq. (8)
//   P(alive at n+1 | x, t_x, n) = B(a+x, b+n-x)/B(a,b) * B(g, d+n+1)/B(g,d) / L,           FHS eq. (11)
//   E[X(n, n+n*) | x, t_x, n]
//     = B(a+x+1, b+n-x)/B(a,b) * sum_{t=n+1}^{n+n*} B(g, d+t)/B(g,d) / L,                  FHS eq. (13)
// (a, b, g, d = alpha, beta, gamma, delta; B the beta function, G the gamma function.) Everything is
// evaluated in log space; the sums over opportunities use the exact term ratios instead of one lgamma per
// term.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <array>
#include <functional>
#include <vector>

#include "model_fit.hpp"

namespace loyalty {

// One customer, or `weight` identical customers. All of x, t_x, n are whole numbers of opportunities.
struct BgBbRow {
  double frequency = 0;  // x: repeat transactions, 0 <= x <= t_x
  double recency = 0;    // t_x: opportunity of the last transaction, x <= t_x <= n; 0 when x = 0
  double periods = 0;    // n: transaction opportunities observed, n >= 1
  double weight = 1;     // customers sharing this row, > 0
};

struct BgBbParams {
  double alpha = 1, beta = 1;   // Beta distribution of the transaction probability p
  double gamma = 1, delta = 1;  // Beta distribution of the dropout probability theta
};

struct BgBbFit {
  BgBbParams params;
  FitReport report;
};

// Throws std::invalid_argument naming the values unless 0 <= x <= t_x <= n are integers, n >= 1, x = 0
// implies t_x = 0, weight > 0 finite.
void validate_bgbb_row(const BgBbRow& row);

// Total weighted log-likelihood (FHS's likelihood function above). Throws std::invalid_argument for an empty
// input, a bad row or non-positive parameters.
double bgbb_log_likelihood(const BgBbParams& params, const std::vector<BgBbRow>& rows,
                           const std::function<void()>& check_interrupt = {});

// d LL / d (alpha, beta, gamma, delta) of the same total, analytic (digamma and term ratios).
std::array<double, 4> bgbb_log_likelihood_gradient(const BgBbParams& params,
                                                   const std::vector<BgBbRow>& rows);

// Maximum likelihood (penalised as FitOptions says) by L-BFGS on log-parameters with the analytic gradient.
// report.converged: the optimiser stopped at a stationary point (scaled gradient < 1e-5) where the data
// identify the parameters (Hessian positive definite, no log-parameter with conditional standard error > 1);
// the status says which test failed. Throws std::invalid_argument for an empty input, a bad row or a negative
// penalizer.
BgBbFit bgbb_fit(const std::vector<BgBbRow>& rows, const FitOptions& options = {});

// P(alive at opportunity n+1 | x, t_x, n), FHS eq. (11).
double bgbb_p_alive(const BgBbParams& params, double x, double t_x, double n);

// Expected transactions in the next n_star opportunities (n+1 .. n+n_star) given x, t_x, n, FHS eq. (13).
double bgbb_expected_purchases(const BgBbParams& params, double x, double t_x, double n, double n_star);

// Expected transactions in the first n opportunities of a randomly chosen customer, FHS eq. (8).
double bgbb_expected_purchases_unconditional(const BgBbParams& params, double n);

// P(X(n) = x): probability that a randomly chosen customer makes x transactions in n opportunities, FHS eq.
// (7).
double bgbb_probability_of_purchases(const BgBbParams& params, double n, double x);

}  // namespace loyalty
