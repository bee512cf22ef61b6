// Tests of the holdout check (holdout_check.hpp): sums, error figures and bins against a direct computation,
// merging, and the errors.
#include "holdout_check.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace {

const double kBgNbd[4] = {0.243, 4.414, 0.793, 2.426};  // Fader, Hardie & Lee (2005), CDNOW

struct Customer {
  double x, t_x, T, actual;
};

TEST(HoldoutCheck, FiguresEqualADirectComputation) {
  const loyalty::ModelDescription& model = *loyalty::find_model("bgnbd_model");
  const std::vector<Customer> customers = {{0, 0, 30, 0},   {0, 0, 0, 1},    {2, 30.43, 38.86, 3},
                                           {12, 35, 36, 9}, {15, 20, 38, 0}, {1, 2, 20, 1}};
  double state[loyalty::kHoldoutStateLength], first[loyalty::kHoldoutStateLength],
      second[loyalty::kHoldoutStateLength];
  loyalty::holdout_start(model, kBgNbd, 39, state);
  loyalty::holdout_start(model, kBgNbd, 39, first);
  loyalty::holdout_start(model, kBgNbd, 39, second);
  double sp = 0, sa = 0, abs_error = 0, square = 0, spp = 0, saa = 0, spa = 0;
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const Customer& c = customers[i];
    loyalty::holdout_add(model, state, c.x, c.t_x, c.T, c.actual);
    loyalty::holdout_add(model, i % 2 ? first : second, c.x, c.t_x, c.T, c.actual);
    const double e = model.expected_purchases(kBgNbd, c.x, c.t_x, c.T, 39);
    sp += e;
    sa += c.actual;
    abs_error += std::fabs(e - c.actual);
    square += (e - c.actual) * (e - c.actual);
    spp += e * e;
    saa += c.actual * c.actual;
    spa += e * c.actual;
  }
  loyalty::holdout_merge(first, second);
  const double n = customers.size();
  for (const double* s : {static_cast<const double*>(state), static_cast<const double*>(first)}) {
    const loyalty::HoldoutResult r = loyalty::holdout_result(s);
    EXPECT_EQ(r.customers, n);
    EXPECT_NEAR(r.predicted_total, sp, 1e-12);
    EXPECT_EQ(r.actual_total, sa);
    EXPECT_NEAR(r.mean_absolute_error, abs_error / n, 1e-12);
    EXPECT_NEAR(r.root_mean_squared_error, std::sqrt(square / n), 1e-12);
    const double mp = sp / n, ma = sa / n;
    const double corr = (spa / n - mp * ma) / std::sqrt((spp / n - mp * mp) * (saa / n - ma * ma));
    EXPECT_NEAR(r.correlation, corr, 1e-12);
    // Bins 0, 1, 2 and "10 or more" (x = 12 and 15).
    ASSERT_EQ(r.bins.size(), 4u);
    EXPECT_EQ(r.bins[0].frequency, 0);
    EXPECT_EQ(r.bins[0].customers, 2);
    EXPECT_EQ(r.bins[0].actual_mean, 0.5);
    EXPECT_EQ(r.bins[3].frequency, 10);
    EXPECT_EQ(r.bins[3].customers, 2);
    EXPECT_EQ(r.bins[3].actual_mean, 4.5);
  }
}

TEST(HoldoutCheck, Errors) {
  const loyalty::ModelDescription& model = *loyalty::find_model("bgnbd_model");
  double state[loyalty::kHoldoutStateLength], other[loyalty::kHoldoutStateLength];
  EXPECT_THROW(loyalty::holdout_start(model, kBgNbd, 0, state), std::invalid_argument);
  loyalty::holdout_start(model, kBgNbd, 39, state);
  EXPECT_THROW(loyalty::holdout_add(model, state, 1, 2, 10, 1.5), std::invalid_argument);
  EXPECT_THROW(loyalty::holdout_add(model, state, 1, 12, 10, 1), std::invalid_argument);
  const double other_params[4] = {0.3, 4.414, 0.793, 2.426};
  EXPECT_THROW(loyalty::holdout_check_same(model, state, other_params, 39), std::invalid_argument);
  EXPECT_THROW(loyalty::holdout_check_same(model, state, kBgNbd, 40), std::invalid_argument);
  loyalty::holdout_start(model, other_params, 39, other);
  EXPECT_THROW(loyalty::holdout_merge(state, other), std::invalid_argument);
  // One customer: the correlation is undefined.
  loyalty::holdout_add(model, state, 1, 2, 10, 1);
  EXPECT_TRUE(std::isnan(loyalty::holdout_result(state).correlation));
}

}  // namespace
