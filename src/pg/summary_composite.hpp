// Reading a customer_summary_result composite (src/sql/200_customer_summary.sql) as the predictions, the
// scoring windows and the holdout check take it: frequency, recency, t, monetary and holdout_frequency by
// field name, with the type's layout looked up once per function call site (cached with the model
// parameters, model_cache.hpp), not once per row. Safe inside LOYALTY_SQL_FUNCTION bodies: the PostgreSQL
// calls run in postgres_guard.
#pragma once

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

struct SummaryFields {
  bool calibrated;  // frequency, recency and t are all non-NULL (NULL: no order on or before as_of)
  double frequency, recency, t;
  double monetary;           // NaN when NULL
  double holdout_frequency;  // NaN when NULL
};

// The fields of the customer_summary_result `composite` (a non-NULL Datum).
SummaryFields read_summary(FunctionCallInfo fcinfo, Datum composite);

}  // namespace pg
}  // namespace loyalty
