// The data simulator: determinism, internal consistency of the summaries and transaction logs, and moments of
// the simulated data against closed forms computed here independently of the model code.
#include "customer_simulator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "bgbb.hpp"
#include "sbg.hpp"

namespace {

using loyalty::SimulatedCustomer;

// CDNOW estimates (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): BG/NBD r = 0.243,
// alpha = 4.414, a = 0.793, b = 2.426; Pareto/NBD r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67.
const loyalty::BgNbdSimulationParams kBgNbd{0.243, 4.414, 0.793, 2.426};
const loyalty::ParetoNbdSimulationParams kParetoNbd{0.55, 10.58, 0.61, 11.67};

// Gauss 2F1(a, b; c; z) by its power series, 0 <= z < 1 (converges geometrically); for the test oracles only.
double hyp2f1_series(double a, double b, double c, double z) {
  double term = 1, sum = 1;
  for (int k = 0; k < 1000000; ++k) {
    term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (std::fabs(term) < 1e-17 * std::fabs(sum)) break;
  }
  return sum;
}

struct Moments {
  double mean = 0, standard_error = 0;
};

template <class Range, class F>
Moments moments(const Range& items, F value) {
  double sum = 0, sum2 = 0, n = 0;
  for (const auto& item : items) {
    const double v = value(item);
    sum += v;
    sum2 += v * v;
    n += 1;
  }
  Moments m;
  m.mean = sum / n;
  m.standard_error = std::sqrt((sum2 / n - m.mean * m.mean) / n);
  return m;
}

bool same(const SimulatedCustomer& a, const SimulatedCustomer& b) {
  return a.frequency == b.frequency && a.recency == b.recency && a.t == b.t && a.alive == b.alive;
}

TEST(CustomerSimulator, DeterministicForASeed) {
  loyalty::SimulationOptions rich;
  rich.record_transactions = true;
  rich.simulate_spend = true;
  rich.spend = {6.25, 3.74, 15.44};
  const auto a = loyalty::simulate_bgnbd(kBgNbd, 39, 2000, 123, rich);
  const auto b = loyalty::simulate_bgnbd(kBgNbd, 39, 2000, 123, rich);
  const auto other = loyalty::simulate_bgnbd(kBgNbd, 39, 2000, 124, rich);
  const auto prefix = loyalty::simulate_bgnbd(kBgNbd, 39, 500, 123);
  const auto plain = loyalty::simulate_bgnbd(kBgNbd, 39, 2000, 123);
  int differences = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(same(a[i], b[i]));
    EXPECT_EQ(a[i].transaction_times, b[i].transaction_times);
    EXPECT_EQ(a[i].transaction_values, b[i].transaction_values);
    EXPECT_EQ(a[i].monetary, b[i].monetary);
    // Recording and spend use no draws of the purchase process; the first customers do not depend on n.
    EXPECT_TRUE(same(a[i], plain[i])) << i;
    if (i < prefix.size()) {
      EXPECT_TRUE(same(a[i], prefix[i])) << i;
    }
    differences += same(a[i], other[i]) ? 0 : 1;
  }
  EXPECT_GT(differences, 100);
  const auto d1 = loyalty::simulate_bgbb({1.2, 0.75, 0.66, 2.78}, 6, 1000, 9);
  const auto d2 = loyalty::simulate_bgbb({1.2, 0.75, 0.66, 2.78}, 6, 1000, 9);
  for (size_t i = 0; i < d1.size(); ++i)
    EXPECT_EQ(d1[i].recency * 10 + d1[i].frequency, d2[i].recency * 10 + d2[i].frequency);
  const auto s1 = loyalty::simulate_sbg({0.7, 1.2}, 8, 1000, 9),
             s2 = loyalty::simulate_sbg({0.7, 1.2}, 8, 1000, 9);
  for (size_t i = 0; i < s1.size(); ++i) EXPECT_EQ(s1[i].tenure, s2[i].tenure);
}

TEST(CustomerSimulator, SummariesAgreeWithTransactionLogs) {
  loyalty::SimulationOptions options;
  options.record_transactions = true;
  options.simulate_spend = true;
  options.spend = {2, 3, 10};
  const double t = 52;
  auto check = [&](const std::vector<SimulatedCustomer>& customers, bool zero_means_alive) {
    for (const auto& c : customers) {
      ASSERT_EQ(c.transaction_times.size(), c.frequency + 1);
      ASSERT_EQ(c.transaction_values.size(), c.transaction_times.size());
      EXPECT_EQ(c.transaction_times.front(), 0.0);
      EXPECT_TRUE(std::is_sorted(c.transaction_times.begin(), c.transaction_times.end()));
      EXPECT_EQ(c.recency, c.transaction_times.back());
      EXPECT_LE(c.recency, t);
      EXPECT_EQ(c.t, t);
      if (c.frequency == 0 && zero_means_alive) {
        EXPECT_TRUE(c.alive);
      }
      double repeat = 0;
      for (size_t j = 1; j < c.transaction_values.size(); ++j) repeat += c.transaction_values[j];
      EXPECT_NEAR(c.monetary, c.frequency > 0 ? repeat / c.frequency : 0.0, 1e-9 * (1 + c.monetary));
    }
  };
  check(loyalty::simulate_bgnbd({2, 3, 1, 3}, t, 3000, 1, options),
        true);  // BG/NBD: no dropout before a repeat
  const auto mbg = loyalty::simulate_mbgnbd({2, 3, 1, 3}, t, 3000, 1, options);
  check(mbg, false);
  EXPECT_GT(std::count_if(mbg.begin(), mbg.end(), [](const auto& c) { return c.frequency == 0 && !c.alive; }),
            100);
  check(loyalty::simulate_pareto_nbd({2, 3, 1, 20}, t, 3000, 1, options), false);
  for (const auto& c : loyalty::simulate_bgbb({1.2, 0.75, 0.66, 2.78}, 6, 3000, 1, options)) {
    ASSERT_EQ(c.transaction_times.size(), c.frequency + 1);
    EXPECT_EQ(c.recency, c.transaction_times.back());
    EXPECT_LE(c.frequency, c.recency);
    EXPECT_LE(c.recency, 6);
    EXPECT_EQ(c.periods, 6);
  }
}

TEST(CustomerSimulator, ParetoNbdMomentsMatchClosedForms) {
  const double t = 39, r = kParetoNbd.r, alpha = kParetoNbd.alpha, s = kParetoNbd.s, beta = kParetoNbd.beta;
  const auto customers = loyalty::simulate_pareto_nbd(kParetoNbd, t, 200000, 1987);
  // E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]  (Schmittlein, Morrison & Colombo 1987).
  const double expected = r * beta / (alpha * (s - 1)) * (1 - std::pow(beta / (beta + t), s - 1));
  const auto x = moments(customers, [](const SimulatedCustomer& c) { return c.frequency; });
  EXPECT_NEAR(x.mean, expected, 4 * x.standard_error) << "expected " << expected;
  // P(alive at t) = E[exp(-mu t)] = (beta/(beta+t))^s.
  const double alive = std::pow(beta / (beta + t), s);
  const auto a = moments(customers, [](const SimulatedCustomer& c) { return c.alive ? 1.0 : 0.0; });
  EXPECT_NEAR(a.mean, alive, 4 * a.standard_error);
}

TEST(CustomerSimulator, BgNbdMeanMatchesClosedForm) {
  const double t = 39, r = kBgNbd.r, alpha = kBgNbd.alpha, a = kBgNbd.a, b = kBgNbd.b;
  const auto customers = loyalty::simulate_bgnbd(kBgNbd, t, 200000, 2005);
  // FHL 2005 eq. (9): E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
  const double expected =
      (a + b - 1) / (a - 1) *
      (1 - std::pow(alpha / (alpha + t), r) * hyp2f1_series(r, b, a + b - 1, t / (alpha + t)));
  const auto x = moments(customers, [](const SimulatedCustomer& c) { return c.frequency; });
  EXPECT_NEAR(x.mean, expected, 4 * x.standard_error) << "expected " << expected;
}

TEST(CustomerSimulator, MbgNbdMeanMatchesClosedForm) {
  const loyalty::BgNbdSimulationParams p{0.525, 6.183, 0.891, 1.614};
  const double t = 39;
  const auto customers = loyalty::simulate_mbgnbd(p, t, 200000, 2007);
  // Batislam et al. 2007: E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))]
  // (E over p of ((1-p)/p)(1 - exp(-lambda p t)), the BG/NBD result with the extra dropout at time 0).
  const double expected = p.b / (p.a - 1) *
                          (1 - std::pow(p.alpha / (p.alpha + t), p.r) *
                                   hyp2f1_series(p.r, p.b + 1, p.a + p.b, t / (p.alpha + t)));
  const auto x = moments(customers, [](const SimulatedCustomer& c) { return c.frequency; });
  EXPECT_NEAR(x.mean, expected, 4 * x.standard_error) << "expected " << expected;
  // P(no repeat purchase because of the time-0 dropout) = E[p] = a/(a+b): a lower bound on P(X = 0).
  const double zero =
      std::count_if(customers.begin(), customers.end(), [](const auto& c) { return c.frequency == 0; }) /
      double(customers.size());
  EXPECT_GT(zero, p.a / (p.a + p.b));
}

TEST(CustomerSimulator, BgBbDistributionMatchesModel) {
  const loyalty::BgBbParams p{1.204, 0.750, 0.657, 2.783};
  const int n = 6;
  const auto customers = loyalty::simulate_bgbb({p.alpha, p.beta, p.gamma, p.delta}, n, 200000, 2010);
  double counts[n + 1] = {};
  for (const auto& c : customers) counts[static_cast<int>(c.frequency)] += 1;
  for (int x = 0; x <= n; ++x) {
    const double expected = loyalty::probability_of_purchases(p, n, x);  // FHS 2010 eq. (7)
    const double observed = counts[x] / customers.size();
    EXPECT_NEAR(observed, expected, 4.5 * std::sqrt(expected * (1 - expected) / customers.size()))
        << "x " << x;
  }
  const auto x = moments(customers, [](const auto& c) { return c.frequency; });
  EXPECT_NEAR(x.mean, loyalty::expected_purchases_unconditional(p, n), 4 * x.standard_error);
}

TEST(CustomerSimulator, SbgSurvivalMatchesModel) {
  const loyalty::SbgParams p{0.704, 1.182};
  const auto contracts = loyalty::simulate_sbg({p.alpha, p.beta}, 12, 200000, 2007);
  for (int t = 1; t <= 12; ++t) {
    const double survived = std::count_if(contracts.begin(), contracts.end(),
                                          [&](const auto& c) { return !c.churned || c.tenure > t; }) /
                            double(contracts.size());
    const double s = loyalty::sbg_survival(p, t);
    EXPECT_NEAR(survived, s, 4.5 * std::sqrt(s * (1 - s) / contracts.size())) << "t " << t;
  }
}

TEST(CustomerSimulator, GammaGammaSpendMatchesPopulationMean) {
  loyalty::SimulationOptions options;
  options.simulate_spend = true;
  options.record_transactions = true;
  options.spend = {6.25, 3.74, 15.44};
  const auto customers = loyalty::simulate_pareto_nbd(kParetoNbd, 39, 200000, 3, options);
  // One value per customer (the first purchase), so the draws are independent: E[z] = E[p/nu] = p v/(q-1).
  const auto first =
      moments(customers, [](const SimulatedCustomer& c) { return c.transaction_values.front(); });
  const double mean = 6.25 * 15.44 / (3.74 - 1);
  EXPECT_NEAR(first.mean, mean, 4 * first.standard_error) << "expected " << mean;
}

TEST(CustomerSimulator, RejectsInvalidParameters) {
  EXPECT_THROW(loyalty::simulate_bgnbd({0, 1, 1, 1}, 10, 5, 1), std::invalid_argument);
  EXPECT_THROW(loyalty::simulate_bgnbd({1, 1, 1, 1}, 0, 5, 1), std::invalid_argument);
  EXPECT_THROW(loyalty::simulate_mbgnbd({1, 1, NAN, 1}, 10, 5, 1), std::invalid_argument);
  EXPECT_THROW(loyalty::simulate_pareto_nbd({1, 1, 1, -1}, 10, 5, 1), std::invalid_argument);
  EXPECT_THROW(loyalty::simulate_pareto_nbd({1, 1, 1, 1}, INFINITY, 5, 1), std::invalid_argument);
  EXPECT_THROW(loyalty::simulate_bgbb({1, 1, 1, 1}, 0, 5, 1), std::invalid_argument);
  EXPECT_THROW(loyalty::simulate_sbg({1, 0}, 5, 5, 1), std::invalid_argument);
  loyalty::SimulationOptions bad_spend;
  bad_spend.simulate_spend = true;
  bad_spend.spend = {1, 0, 1};
  EXPECT_THROW(loyalty::simulate_bgnbd({1, 1, 1, 1}, 10, 5, 1, bad_spend), std::invalid_argument);
  EXPECT_TRUE(loyalty::simulate_bgnbd({1, 1, 1, 1}, 10, 0, 1).empty());
}

TEST(CustomerSimulator, InterruptPropagates) {
  struct Cancelled {};
  loyalty::SimulationOptions options;
  options.check_interrupt = [] { throw Cancelled{}; };
  EXPECT_THROW(loyalty::simulate_pareto_nbd(kParetoNbd, 39, 100000, 1, options), Cancelled);
  EXPECT_THROW(loyalty::simulate_sbg({1, 1}, 5, 100000, 1, [] { throw Cancelled{}; }), Cancelled);
}

}  // namespace
