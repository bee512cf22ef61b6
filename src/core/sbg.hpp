// sBG: the shifted-beta-geometric model of contractual churn (discrete renewal periods).
//
// Sources: Fader & Hardie (2007), "How to Project Customer Retention", Journal of Interactive Marketing
// 21(1), 76-90 (FH 2007); Fader & Hardie (2010), "Customer-Base Valuation in a Contractual Setting: The
// Perils of Ignoring Heterogeneity", Marketing Science 29(1), 85-93 (FH 2010). At the end of each period a
// customer cancels with probability theta, theta ~ Beta(alpha, beta) across customers. T = the period in
// which she is lost (T = 1: lost at the first renewal opportunity).
//
//   P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta)                                   FH 2007
//   S(t)     = B(alpha, beta+t) / B(alpha, beta)                                       FH 2007
//   r(t)     = S(t)/S(t-1) = (beta+t-1) / (alpha+beta+t-1)                             FH 2007
//   LL       = sum over customers lost in period t of log P(T = t)
//            + sum over customers still active after period n of log S(n)            FH 2007 eq. (B3)
//   DERL(d | n-1 renewals) = sum_{t>=n} S(t)/S(n-1) / (1+d)^(t-n)
//     = (beta+n-1)/(alpha+beta+n-1) * 2F1(1, beta+n; alpha+beta+n; 1/(1+d))              FH 2010 eq. (6)
//
// DERL is computed from the series (exact: term k+1 / term k < 1/(1+d), so the remainder after term k is
// below term_k / d, which stops the sum at double precision), or, when d is so small that the series would
// need more than ~20,000 terms, from the beta-mixture form of the same sum,
//   DERL = (1+d) E[(1-theta)/(d+theta)],  theta ~ Beta(alpha, beta+n-1)
// (the posterior of theta after n-1 renewals; sum the geometric series inside the expectation), integrated by
// Boost's tanh-sinh quadrature (Takahasi & Mori 1974; the project's non-throwing policy), its integrand in
// logs, which resolves the scale theta ~ d next to 0 and the endpoint singularities of the beta density.
// hyp2f1.hpp is not used: DERL needs z = 1/(1+d) -> 1, where 2F1 is hardest, and the mixture form is direct.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include "model.hpp"
#include "model_api.hpp"

namespace loyalty {

// One customer (or `weight` identical ones): lost in period `tenure` (churned) or still active after `tenure`
// periods (censored).
struct SbgRow {
  double tenure = 1;     // a positive integer
  bool churned = false;  // true: contributes P(T = tenure); false: contributes S(tenure)
  double weight = 1;     // > 0
};

struct SbgParams {
  double alpha = 1, beta = 1;  // Beta distribution of the per-period churn probability theta
};

LOYALTY_MODEL(SbgParams, SbgRow, kSbgModel, SbgFit);

// Throws std::invalid_argument naming the values unless tenure is a positive integer and weight > 0, finite.
void validate_sbg_row(const SbgRow& row);
ModelRow to_model_row(const SbgRow& row);

// S(t), t a non-negative integer (S(0) = 1).
double sbg_survival(const SbgParams& params, double t);

// r(t) = P(T > t | T > t-1), t a positive integer.
double sbg_retention_rate(const SbgParams& params, double t);

// P(T = t), t a positive integer.
double sbg_churn_probability(const SbgParams& params, double t);

// DERL of a customer who has made n-1 renewals and is about to decide on the n-th (n >= 1; n = 1: a new
// customer at her first renewal decision), with per-period discount rate d >= 0: the expected number of
// further payments, the one at the next renewal undiscounted. FH 2010 eq. (6). With d = 0 it is
// (beta+n-1)/(alpha-1) when alpha > 1 and +infinity otherwise.
double sbg_discounted_expected_residual_lifetime(const SbgParams& params, double n, double discount_rate);

}  // namespace loyalty
