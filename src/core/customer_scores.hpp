// Every score of a customer from one fitted transaction model (and, for the value, the Gamma-Gamma spend
// model), in one pass: P(alive), churn probability, expected purchases over a horizon, the discounted value
// over that horizon (clv.hpp) and a churn-risk segment. Also the one-fit-per-partition step of the window
// forms: which rows a fit takes, the fits with their warnings.
//
// Customers with T = 0 (first purchase at the end of the data) are valid to score: for them the model's
// predictions are those of a customer just acquired (P(alive) = 1 for BG/NBD and Pareto/NBD; b/(a+b) for
// MBG/NBD, whose customers may leave right after the first purchase). They take no part in a fit: a customer
// observed for no time adds nothing to the likelihood, and the fits' row validation refuses T = 0.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "clv.hpp"
#include "gamma_gamma.hpp"
#include "model.hpp"

namespace loyalty {

// Churn-risk segments: k increasing boundaries in (0, 1) cut the churn probability into k + 1 segments;
// segment i (from 0) holds churn probabilities in [b_i, b_{i+1}) with b_0 = 0 and b_{k+1} = 1 (included).
// Throws std::invalid_argument unless 1 <= k <= 100 and 0 < b_1 < ... < b_k < 1, all finite.
void validate_risk_boundaries(const double* boundaries, int count);
int risk_segment(const double* boundaries, int count, double churn_probability);

// Throws std::invalid_argument naming the values unless (x, t_x, T) is a customer `model` can score:
// continuous models validate_summary_row (T = 0 allowed), discrete ones the model's row validation.
void validate_history(const ModelDescription& model, double x, double t_x, double T);

// Whether a valid row takes part in fitting `model` (continuous rows with T = 0 do not).
bool row_takes_part_in_fit(const ModelDescription& model, double T);

struct CustomerScores {
  double p_alive = 0;
  double churn_probability = 0;
  double expected_purchases = 0;  // in (T, T + periods * period_length]
  double value = 0;               // discounted value over the same horizon; NaN when not asked for
  int risk_segment = 0;
};

struct ScoringRequest {
  ClvHorizon horizon;         // periods of period_length, discounted per period
  bool with_value = false;    // needs `spend` and the customer's mean spend m
  bool p_alive_only = false;  // only P(alive), the churn probability and the segment
  GammaGammaParams spend;
  const double* risk_boundaries = nullptr;
  int risk_boundary_count = 0;
};

// The scores of customer (x, t_x, T, m) under `model` with parameters `params` (valid). The expected
// purchases are the last cumulative expectation of the value's sum (no second evaluation). Throws
// std::invalid_argument for an invalid history, horizon or spend.
CustomerScores score_customer(const ModelDescription& model, const double* params,
                              const ScoringRequest& request, double x, double t_x, double T, double m,
                              const std::function<void()>& check_interrupt = {});

// One customer of a partition: its history, its mean spend (NaN: unknown), and whether it is scored at all.
struct PartitionRow {
  double x, t_x, T, m;
};

struct PartitionFit {
  ModelFit transactions;
  bool has_spend = false;  // false: no repeat customer with a known spend, or not asked for
  GammaGammaParams spend;
  std::string warning;  // non-converged fits, in words; empty when none
};

// Fits `model` on the rows that take part (row_takes_part_in_fit) and, when `with_spend`, Gamma-Gamma on the
// repeat customers with a known spend. Throws std::invalid_argument when no row takes part in the
// transaction fit. The rows must have been validated (validate_history).
PartitionFit fit_partition(const ModelDescription& model, const std::vector<PartitionRow>& rows,
                           bool with_spend, double penalizer,
                           const std::function<void()>& check_interrupt = {});

}  // namespace loyalty
