// What customer_scores returns (src/sql/440_customer_scores.sql): the customer_scores_result composite
// (p_alive, churn_probability, expected_purchases, clv, churn_risk), and the churn-risk segmentation read
// from its two array arguments (risk_boundaries float8[], risk_labels text[]). Both are set up once per call
// site and reused while the arrays stay byte-for-byte the same. Safe inside LOYALTY_SQL_FUNCTION bodies.
#pragma once

#include "customer_scores.hpp"

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

struct ScoringSetup;

// The set-up for the arrays `boundaries` and `labels` (non-NULL Datums): k increasing boundaries in (0, 1)
// and k + 1 non-NULL labels, else std::invalid_argument (22023).
const ScoringSetup* scoring_setup(FunctionCallInfo fcinfo, Datum boundaries, Datum labels);

const double* risk_boundaries(const ScoringSetup* setup);
int risk_boundary_count(const ScoringSetup* setup);

// The customer_scores_result of `scores`; clv is NULL when `value_known` is false.
Datum scores_result(const ScoringSetup* setup, const CustomerScores& scores, bool value_known);

}  // namespace pg
}  // namespace loyalty
