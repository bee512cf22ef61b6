// The project's synthetic-data generator: customers simulated from the "buy till you die" models with known
// parameters, for tests (moments, parameter recovery) and for demo order logs in SQL.
//
// Each model is simulated from its story, not from its likelihood:
//   BG/NBD  (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way", Marketing Science 24(2)):
//           lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b). Purchases arrive as a Poisson(lambda) process from
//           the first purchase at time 0; after each REPEAT purchase the customer drops out with probability
//           p.
//   MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of models for customer
//           base analysis", IJRM 24(3)): as BG/NBD, but the dropout coin is also tossed right after the first
//           purchase, at time 0, so a customer may never come back.
//   Pareto/NBD (Schmittlein, Morrison & Colombo 1987, "Counting Your Customers", Management Science 33(1)):
//           lambda ~ Gamma(r, rate alpha), mu ~ Gamma(s, rate beta); lifetime tau ~ Exp(mu); Poisson(lambda)
//           purchases on (0, min(tau, T)].
//   BG/BB   (Fader, Hardie & Shang 2010, Marketing Science 29(6)): p ~ Beta(alpha, beta), theta ~ Beta(gamma,
//           delta); at each of the n opportunities the customer first dies with probability theta, then, if
//           alive, buys with probability p.
//   sBG     (Fader & Hardie 2007, J. Interactive Marketing 21(1)): theta ~ Beta(alpha, beta); the contract is
//           cancelled at each renewal with probability theta, observed for `periods` renewals.
//   Spend   (Gamma-Gamma: Fader, Hardie & Lee 2005, JMR 42(4)): nu ~ Gamma(q, rate v) per customer; each
//           transaction value ~ Gamma(p, rate nu), independent of the purchase process.
//
// Determinism: the output is a function of (parameters, T or periods, n, seed, options) alone:
// std::mt19937_64 and std:: distributions (gamma, exponential, bernoulli, geometric, uniform). Customers are
// drawn in order from one engine, so the first k customers of a run of n > k equal a run of k; spend uses its
// own engine, so turning spend or transaction recording on does not change the purchase histories. Sequences
// are those of libstdc++ (the std:: distributions are not specified bit for bit across standard libraries).
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "model.hpp"

namespace loyalty {

struct BgNbdSimulationParams {
  double r = 1, alpha = 1;  // purchase rate lambda ~ Gamma(r, rate alpha)
  double a = 1, b = 1;      // dropout probability p ~ Beta(a, b)
};

struct ParetoNbdSimulationParams {
  double r = 1, alpha = 1;  // purchase rate lambda ~ Gamma(r, rate alpha)
  double s = 1, beta = 1;   // dropout rate mu ~ Gamma(s, rate beta)
};

struct BgBbSimulationParams {
  double alpha = 1, beta = 1;   // transaction probability p ~ Beta(alpha, beta)
  double gamma = 1, delta = 1;  // dropout probability theta ~ Beta(gamma, delta)
};

struct SbgSimulationParams {
  double alpha = 1, beta = 1;  // churn probability theta ~ Beta(alpha, beta)
};

struct SpendSimulationParams {
  double p = 1, q = 1, v = 1;  // Gamma-Gamma: values ~ Gamma(p, rate nu), nu ~ Gamma(q, rate v)
};

struct SimulationOptions {
  bool record_transactions = false;  // fill transaction_times (and transaction_values when simulating spend)
  bool simulate_spend = false;       // draw transaction values with `spend`; fills monetary
  SpendSimulationParams spend;
  std::function<void()> check_interrupt;  // called every ~10,000 customers or purchases; may throw
};

// One continuous-time customer: the SummaryRow fields, plus what the simulation knows.
struct SimulatedCustomer {
  double frequency = 0;  // x: repeat purchases in (0, T]
  double recency = 0;    // t_x: time of the last purchase since the first (0 when x = 0)
  double t = 0;          // T
  double monetary = 0;   // mean value of the repeat purchases (simulate_spend and x > 0), else 0
  bool alive = true;     // the simulated truth at T
  // record_transactions: all purchase times since the first purchase, the first (0) included, ascending; so
  // frequency = transaction_times.size() - 1. transaction_values (simulate_spend) has one value per time.
  std::vector<double> transaction_times;
  std::vector<double> transaction_values;
};

// One discrete-time (BG/BB) customer.
struct SimulatedDiscreteCustomer {
  double frequency = 0;  // x: opportunities with a purchase among 1..n
  double recency = 0;    // t_x: the last of them (0 when x = 0)
  double periods = 0;    // n
  double monetary = 0;   // mean value of the repeat purchases (simulate_spend and x > 0), else 0
  bool alive = true;     // alive at the end of opportunity n
  // record_transactions: opportunities with a purchase, 0 (the first purchase) included, ascending.
  std::vector<double> transaction_times;
  std::vector<double> transaction_values;
};

// One contract (sBG): lost in period `tenure`, or still active after `periods` (tenure = periods).
struct SimulatedContract {
  double tenure = 0;
  bool churned = false;
};

// All throw std::invalid_argument naming the value for a non-positive or non-finite parameter, T <= 0 or
// periods < 1. customers = 0 returns an empty vector.
std::vector<SimulatedCustomer> simulate_bgnbd(const BgNbdSimulationParams& params, double t,
                                              std::size_t customers, std::uint64_t seed,
                                              const SimulationOptions& options = {});
std::vector<SimulatedCustomer> simulate_mbgnbd(const BgNbdSimulationParams& params, double t,
                                               std::size_t customers, std::uint64_t seed,
                                               const SimulationOptions& options = {});
std::vector<SimulatedCustomer> simulate_pareto_nbd(const ParetoNbdSimulationParams& params, double t,
                                                   std::size_t customers, std::uint64_t seed,
                                                   const SimulationOptions& options = {});
std::vector<SimulatedDiscreteCustomer> simulate_bgbb(const BgBbSimulationParams& params, int periods,
                                                     std::size_t customers, std::uint64_t seed,
                                                     const SimulationOptions& options = {});
std::vector<SimulatedContract> simulate_sbg(const SbgSimulationParams& params, int periods,
                                            std::size_t customers, std::uint64_t seed,
                                            const std::function<void()>& check_interrupt = {});

// The `simulate` of the model descriptions (model.hpp): the same customers as plain rows, produced one by
// one (never held twice). Parameters in the descriptions' order.
std::vector<SimulatedRow> simulate_bgnbd_rows(const double* params, const SimulationRequest& request);
std::vector<SimulatedRow> simulate_mbgnbd_rows(const double* params, const SimulationRequest& request);
std::vector<SimulatedRow> simulate_pareto_nbd_rows(const double* params, const SimulationRequest& request);
std::vector<SimulatedRow> simulate_bgbb_rows(const double* params, const SimulationRequest& request);

}  // namespace loyalty
