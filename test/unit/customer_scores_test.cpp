// Tests of the one-pass scoring (customer_scores.hpp): the scores equal the models' own predictions and the
// CLV sum, t = 0 customers, the risk segments, and the partition fit (t = 0 rows scored, not fitted).
#include "customer_scores.hpp"

#include "bgnbd.hpp"
#include "customer_summary_row.hpp"
#include "mbgnbd.hpp"
#include "pareto_nbd.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace {

using loyalty::CustomerScores;
using loyalty::ScoringRequest;

// Published CDNOW estimates (Fader, Hardie & Lee 2005; MBG/NBD as lifetimes documents it; Gamma-Gamma, FHL
// 2005 "RFM and CLV").
const double kBgNbd[4] = {0.243, 4.414, 0.793, 2.426};
const double kMbgNbd[4] = {0.525, 6.183, 0.891, 1.614};
const double kPareto[4] = {0.553, 10.578, 0.606, 11.669};
const double kBoundaries[3] = {0.25, 0.5, 0.75};

ScoringRequest request(double periods, double discount, double length) {
  ScoringRequest r;
  r.horizon.periods = periods;
  r.horizon.discount_rate = discount;
  r.horizon.period_length = length;
  r.with_value = true;
  r.spend = {6.25, 3.74, 15.44};
  r.risk_boundaries = kBoundaries;
  r.risk_boundary_count = 3;
  return r;
}

TEST(CustomerScores, EqualTheModelsPredictionsAndTheClvSum) {
  for (const char* type : {"bgnbd_model", "mbgnbd_model", "pareto_nbd_model"}) {
    const loyalty::ModelDescription& model = *loyalty::find_model(type);
    const double* p = std::string(type) == "bgnbd_model"    ? kBgNbd
                      : std::string(type) == "mbgnbd_model" ? kMbgNbd
                                                            : kPareto;
    const ScoringRequest r = request(12, 0.01, 4);
    const CustomerScores s = loyalty::score_customer(model, p, r, 2, 30.43, 38.86, 22.35);
    EXPECT_DOUBLE_EQ(s.p_alive, model.p_alive(p, 2, 30.43, 38.86)) << type;
    EXPECT_DOUBLE_EQ(s.churn_probability, 1 - s.p_alive) << type;
    EXPECT_DOUBLE_EQ(s.expected_purchases, model.expected_purchases(p, 2, 30.43, 38.86, 48)) << type;
    EXPECT_DOUBLE_EQ(s.value, loyalty::customer_value(model, p, r.spend, 2, 30.43, 38.86, 22.35, r.horizon))
        << type;
  }
  // BG/NBD CDNOW customer (2, 30.43, 38.86): P(alive) 0.72657857008 (mpmath, sql/predictions.sql): churn
  // 0.273 is in [0.25, 0.5), segment 1.
  const CustomerScores s = loyalty::score_customer(*loyalty::find_model("bgnbd_model"), kBgNbd,
                                                   request(12, 0.01, 4), 2, 30.43, 38.86, 22.35);
  EXPECT_NEAR(s.p_alive, 0.72657857008067291, 1e-12);
  EXPECT_EQ(s.risk_segment, 1);
  EXPECT_NEAR(s.value, 33.892246136323542, 1e-8);  // mpmath (sql/predictions.sql)
}

TEST(CustomerScores, TimeZeroIsANewCustomer) {
  for (const char* type : {"bgnbd_model", "mbgnbd_model", "pareto_nbd_model"}) {
    const loyalty::ModelDescription& model = *loyalty::find_model(type);
    const double* p = std::string(type) == "bgnbd_model"    ? kBgNbd
                      : std::string(type) == "mbgnbd_model" ? kMbgNbd
                                                            : kPareto;
    const CustomerScores s = loyalty::score_customer(model, p, request(13, 0, 3), 0, 0, 0, 0);
    EXPECT_TRUE(std::isfinite(s.value)) << type;
    EXPECT_NEAR(s.expected_purchases, model.expected_purchases_unconditional(p, 39), 1e-12) << type;
    // MBG/NBD customers may leave right after their first purchase: P(alive at 0) = b / (a + b).
    EXPECT_NEAR(s.p_alive, std::string(type) == "mbgnbd_model" ? 1.614 / (0.891 + 1.614) : 1.0, 1e-12)
        << type;
  }
  EXPECT_THROW(loyalty::validate_history(*loyalty::find_model("bgnbd_model"), 1, 0, 0),
               std::invalid_argument);
  // A fit still refuses t = 0 (a customer observed for no time tells the likelihood nothing).
  EXPECT_THROW(loyalty::validate_continuous_row(loyalty::ModelRow{{0, 0, 0}, 1}), std::invalid_argument);
  EXPECT_NO_THROW(loyalty::validate_summary_row(loyalty::SummaryRow{0, 0, 0, 1}));
}

TEST(CustomerScores, RiskSegments) {
  EXPECT_EQ(loyalty::risk_segment(kBoundaries, 3, 0.0), 0);
  EXPECT_EQ(loyalty::risk_segment(kBoundaries, 3, 0.25), 1);  // a boundary belongs to the segment above
  EXPECT_EQ(loyalty::risk_segment(kBoundaries, 3, 0.74), 2);
  EXPECT_EQ(loyalty::risk_segment(kBoundaries, 3, 1.0), 3);
  const double decreasing[2] = {0.5, 0.4}, outside[1] = {1.0};
  EXPECT_THROW(loyalty::validate_risk_boundaries(decreasing, 2), std::invalid_argument);
  EXPECT_THROW(loyalty::validate_risk_boundaries(outside, 1), std::invalid_argument);
  EXPECT_THROW(loyalty::validate_risk_boundaries(kBoundaries, 0), std::invalid_argument);
  EXPECT_NO_THROW(loyalty::validate_risk_boundaries(kBoundaries, 3));
}

TEST(CustomerScores, PartitionFitLeavesOutTimeZero) {
  // Customers simulated from the CDNOW BG/NBD; adding t = 0 customers does not change the fit.
  const loyalty::ModelDescription& model = *loyalty::find_model("bgnbd_model");
  loyalty::SimulationRequest sim;
  sim.horizon = 39;
  sim.customers = 3000;
  sim.seed = 7;
  std::vector<loyalty::PartitionRow> rows;
  for (const loyalty::SimulatedRow& c : model.simulate(kBgNbd, sim))
    rows.push_back({c.frequency, c.recency, c.t, c.frequency > 0 ? 20.0 + c.frequency : NAN});
  const loyalty::PartitionFit alone = loyalty::fit_partition(model, rows, true, 0);
  rows.push_back({0, 0, 0, NAN});
  rows.push_back({0, 0, 0, NAN});
  const loyalty::PartitionFit with_new = loyalty::fit_partition(model, rows, true, 0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(alone.transactions.params[i], with_new.transactions.params[i]);
  EXPECT_TRUE(with_new.has_spend);
  EXPECT_TRUE(with_new.transactions.report.converged);
  EXPECT_THROW(loyalty::fit_partition(model, {{0, 0, 0, NAN}}, false, 0), std::invalid_argument);
}

}  // namespace
