#include "mbgnbd.hpp"

#include <algorithm>

#include "customer_simulator.hpp"

namespace loyalty {
namespace {

double checked(double value, const char* what, const double* p) {
  return finite_prediction(value, "mbg/nbd", what, bg_family::kParameterNames, 4, p);
}

// Bayes on the two parts of the likelihood: alive at T versus dropped out right after the last purchase (at
// t_x; at time 0 when x = 0), [BDF07]; below 1 also when x = 0.
double mbgnbd_p_alive(const double* p, double x, double t_x, double T) {
  bg_family::validate_history(x, t_x, T);
  return checked(bg_family::p_alive(p, x, t_x, T, x + 1), "p_alive", p);
}

double mbgnbd_expected_purchases(const double* p, double x, double t_x, double T, double horizon) {
  bg_family::validate_history(x, t_x, T);
  bg_family::validate_time("horizon", horizon);
  if (horizon == 0) return 0;
  // Given alive at T the posterior is lambda ~ Gamma(r+x, alpha+T), p ~ Beta(a, b+x+1) (survived time 0 and x
  // purchases), and the future follows BG/NBD dynamics: P(alive) times the BG/NBD E[X(horizon)] at those
  // parameters. Equals lifetimes' (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+h))^(r+x) 2F1(r+x, b+x+1; a+b+x;
  // h/(alpha+T+h))] P(alive), without its singularity at a = 1.
  return checked(mbgnbd_p_alive(p, x, t_x, T) * bg_family::expected_purchases_unconditional(
                                                    p[0] + x, p[1] + T, p[2], p[3] + x + 1, horizon),
                 "expected purchases", p);
}

// E[(1-p) (1 - exp(-lambda p t)) / p]: survive time 0 with probability 1-p, then BG/NBD. Since
// (1-p) Beta(p; a, b) = b/(a+b) Beta(p; a, b+1), this is b/(a+b) times the BG/NBD E[X(t)] at b+1, i.e.
// lifetimes' b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))].
double mbgnbd_expected_purchases_unconditional(const double* p, double t) {
  return checked(
      p[3] / (p[2] + p[3]) * bg_family::expected_purchases_unconditional(p[0], p[1], p[2], p[3] + 1, t),
      "expected purchases", p);
}

// Dropped out at time 0 (probability E[p] = a/(a+b)): no purchases; otherwise BG/NBD with p ~ Beta(a, b+1)
// (the same reweighting as above) and [FHL05] eq. 8.
double mbgnbd_probability_of_purchases(const double* p, double t, int k) {
  const double survived = p[3] / (p[2] + p[3]);
  const double value = (k == 0 ? p[2] / (p[2] + p[3]) : 0.0) +
                       survived * bg_family::probability_of_purchases(p[0], p[1], p[2], p[3] + 1, t, k);
  return std::min(1.0, checked(value, "probability of purchases", p));
}

}  // namespace

const ModelDescription kMbgNbdModel = bg_family::description<bg_family::Variant::mbgnbd>(
    "mbgnbd_model", "mbg/nbd", mbgnbd_p_alive, mbgnbd_expected_purchases,
    mbgnbd_expected_purchases_unconditional, mbgnbd_probability_of_purchases, simulate_mbgnbd_rows);

}  // namespace loyalty
