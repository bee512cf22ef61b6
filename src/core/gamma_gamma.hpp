// Gamma-Gamma model of the average transaction value (spend per transaction) of repeat customers.
//
// Sources: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis",
// Journal of Marketing Research 42(4), 415-430 (FHL below); Fader & Hardie
// (2013), "The Gamma-Gamma Model of Monetary Value", note at brucehardie.com (FH note). A customer's
// transaction values are i.i.d. Gamma(p, rate nu); nu ~ Gamma(q, rate v) across customers (v is FHL's gamma).
// With x transactions of mean m (the repeat transactions only, so x >= 1):
//
//   f(m | x) = G(px+q) / (G(px) G(q)) * v^q m^(px-1) x^(px) / (v + m x)^(px+q)             FH note eq. (1a)
//   E[M | x, m] = (v + m x) p / (p x + q - 1)
//              = (q-1)/(px+q-1) * p v/(q-1) + px/(px+q-1) * m                               FH note eq. (5)
//   E[M] = p v / (q - 1)  (population mean transaction value, q > 1)
//
// The likelihood includes the Jacobian terms m^(px-1) x^(px), as the lifetimes library does, so that its
// value is the density of the observed mean spend. Evaluated in log space.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include "model.hpp"
#include "model_api.hpp"

namespace loyalty {

// One repeat customer (or `weight` identical ones).
struct SpendRow {
  double frequency = 0;  // x: number of repeat transactions the mean is taken over, a positive integer
  double monetary = 0;   // m: their mean value, > 0
  double weight = 1;     // > 0
};

struct GammaGammaParams {
  double p = 1;  // shape of the transaction values
  double q = 1;  // shape of the Gamma distribution of their rate nu
  double v = 1;  // rate (FHL's gamma) of the Gamma distribution of nu
};

LOYALTY_MODEL(GammaGammaParams, SpendRow, kGammaGammaModel, GammaGammaFit);

// Throws std::invalid_argument naming the values unless x is a positive integer, m > 0 and weight > 0, all
// finite.
void validate_spend_row(const SpendRow& row);
ModelRow to_model_row(const SpendRow& row);

// E[M | x, m], FH note eq. (5) (also in FHL): the customer's expected average transaction value. x >= 1 and m
// > 0; also defined for x = 0 (then m is ignored and the population mean is returned, which needs q > 1).
double gamma_gamma_expected_spend(const GammaGammaParams& params, double x, double m);

// p v / (q - 1); throws std::domain_error when q <= 1 (the mean is infinite).
double gamma_gamma_population_mean_spend(const GammaGammaParams& params);

}  // namespace loyalty
