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
// The model is the description kBgBbModel (model.hpp), used through model_api.hpp with BgBbParams; in its
// predictions T is the number of opportunities n and the horizon a number of opportunities.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include "model.hpp"
#include "model_api.hpp"

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

LOYALTY_MODEL(BgBbParams, BgBbRow, kBgBbModel, BgBbFit);

// Throws std::invalid_argument naming the values unless 0 <= x <= t_x <= n are integers, n >= 1, x = 0
// implies t_x = 0, weight > 0 finite.
void validate_bgbb_row(const BgBbRow& row);
ModelRow to_model_row(const BgBbRow& row);

}  // namespace loyalty
