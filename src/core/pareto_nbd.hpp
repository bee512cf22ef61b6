// The Pareto/NBD model of customer-base analysis ("buy till you die", non-contractual, continuous time):
// likelihood and its gradient, maximum-likelihood fit, P(alive), conditional and unconditional expected
// purchases, and the distribution of the number of purchases in an interval.
//
// Sources
//   [SMC]   Schmittlein, Morrison & Colombo (1987), "Counting your customers: who are they and what will
//           they do next?", Management Science 33(1).
//   [FH05]  Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions".
//   [FH06]  Fader & Hardie (2006), "Deriving an Expression for P(X(t) = x) Under the Pareto/NBD Model".
//   [FHL05] Fader, Hardie & Lee (2005), the CDNOW Pareto/NBD estimates r = 0.553, alpha = 10.578,
//           s = 0.606, beta = 11.669, LL = -9594.98 ("Counting Your Customers the Easy Way", Marketing
//           Science 24(2); "RFM and CLV", JMR 42(4)).
//
// Model. While alive a customer buys as a Poisson process of rate lambda ~ Gamma(r, alpha); the lifetime is
// exponential with rate mu ~ Gamma(s, beta); lambda and mu independent. Data per customer: x repeat
// purchases, the last at t_x, observed over (0, T].
//
// Likelihood, [FH05] section 3, with m = r+s+x:
//   L  = Gamma(r+x) alpha^r beta^s / Gamma(r) * { (alpha+T)^-(r+x) (beta+T)^-s + s/m * A0 },
//   A0 = F(t_x) - F(T),
//   F(y) = 2F1(m, s+1; m+1; (alpha-beta)/(alpha+y)) / (alpha+y)^m   when alpha >= beta,
//   F(y) = 2F1(m, r+x; m+1; (beta-alpha)/(beta+y)) / (beta+y)^m     when alpha <  beta,
// so that z = |alpha-beta| / (max(alpha,beta)+y) lies in [0, 1). Euler's transformation
// 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z) turns both branches into
//   F(y) = (alpha+y)^-(r+x) (beta+y)^-s G(z),
//   G = 2F1(1, r+x; m+1; z)                       when alpha >= beta,
//   G = (alpha+y)/(beta+y) 2F1(1, s+1; m+1; z)    when alpha <  beta,
// a series of positive terms with ratio below z: nothing overflows for heavy buyers (x in the hundreds, where
// (alpha+y)^m overflows a direct evaluation), and the parameter derivatives (analytic gradient) are cheap.
// alpha == beta is z = 0 (G = 1) in either branch. Everything is in logs: the two parts of the likelihood are
// combined by log-sum-exp, A0 by log-diff-exp.
//
// P(alive | x, t_x, T) = 1 / (1 + s/m (alpha+T)^(r+x) (beta+T)^s A0)                       [FH05] section 5
// E[Y(t) | x, t_x, T]  = (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive)
//                                                              [FH05] section 6 (s = 1: the limit, a log)
// E[X(t)]              = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]                [FH05] section 4
// P(X(t) = x)          = Gamma(r+x)/(Gamma(r) x!) (alpha/(alpha+t))^r (t/(alpha+t))^x (beta/(beta+t))^s
//                        + Gamma(r+x) s alpha^r beta^s / (Gamma(r) x!)
//                          * Int_0^t y^x (alpha+y)^-(r+x) (beta+y)^-(s+1) dy                   [FH06]
// (alive throughout, or dead at y after x purchases). FH06's closed form of the integral subtracts nearly
// equal quantities for small t or large x; we integrate the positive integrand numerically instead.
//
// Times are in the data's own unit (alpha and beta are in that unit). Pure C++: no PostgreSQL header.
#pragma once

#include "customer_summary_row.hpp"
#include "model.hpp"
#include "model_api.hpp"

namespace loyalty {

struct ParetoNbdParams {
  double r = 0;      // shape of the purchase-rate gamma
  double alpha = 0;  // scale (rate) of the purchase-rate gamma, in the data's time unit
  double s = 0;      // shape of the dropout-rate gamma
  double beta = 0;   // scale (rate) of the dropout-rate gamma, in the data's time unit
};

// The model (model.hpp): identical rows merged and the per-(x, t_x) and per-(x, T) terms computed once per
// evaluation; warm start on a subsample for more than 20,000 distinct rows.
LOYALTY_MODEL(ParetoNbdParams, SummaryRow, kParetoNbdModel, ParetoNbdFit);

}  // namespace loyalty
