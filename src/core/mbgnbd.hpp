// The MBG/NBD model (modified BG/NBD) of customer-base analysis: likelihood with analytic gradient, maximum-
// likelihood fit, P(alive), conditional and unconditional expected purchases, and P(X(t) = k).
//
// Sources
//   [BDF07] Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of models for
//           customer base analysis", International Journal of Research in Marketing 24(3), 201-209.
//   [FHL05] Fader, Hardie & Lee (2005), Marketing Science 24(2) (the BG/NBD model it modifies; bgnbd.hpp).
//   The parameterisation and formulas are those of the lifetimes library's ModifiedBetaGeoFitter.
//
// Model. As BG/NBD (purchase rate lambda ~ Gamma(r, alpha) while alive, dropout probability p ~ Beta(a, b)
// after each purchase), except that a customer may also drop out right after the first purchase, at time 0,
// so that customers without repeat purchases need not be alive. Likelihood:
//   L = Gamma(r+x) alpha^r / Gamma(r) * B(a, b+x+1)/B(a, b) * (alpha+T)^-(r+x)
//       * [1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)]                       (for every x, including x = 0)
// computed by the BG/NBD machinery (bg_family in bgnbd.hpp, m = x + 1). The model is the description
// kMbgNbdModel (model.hpp), used through model_api.hpp with MbgNbdParams.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include "bgnbd.hpp"

namespace loyalty {

struct MbgNbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

LOYALTY_MODEL(MbgNbdParams, SummaryRow, kMbgNbdModel, MbgNbdFit);

}  // namespace loyalty
