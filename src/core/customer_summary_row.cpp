#include "customer_summary_row.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "number_text.hpp"

namespace loyalty {

void validate_summary_row(const SummaryRow& row) {
  auto fail = [&](const char* what) {
    throw std::invalid_argument(std::string(what) + " (frequency " + number_text(row.frequency) +
                                ", recency " + number_text(row.recency) + ", t " + number_text(row.t) + ")");
  };
  if (!std::isfinite(row.frequency) || row.frequency < 0 || row.frequency != std::floor(row.frequency))
    fail("frequency must be a non-negative integer");
  if (!std::isfinite(row.t) || row.t <= 0) fail("t must be positive");
  if (!std::isfinite(row.recency) || row.recency < 0 || row.recency > row.t)
    fail("recency must lie between 0 and t");
  if (row.frequency == 0 && row.recency != 0) fail("recency must be 0 when frequency is 0");
  if (!std::isfinite(row.weight) || row.weight <= 0) fail("weight must be positive");
}

ModelRow to_model_row(const SummaryRow& row) {
  return ModelRow{{row.frequency, row.recency, row.t}, row.weight};
}

void validate_continuous_row(const ModelRow& row) {
  validate_summary_row(SummaryRow{row.key[0], row.key[1], row.key[2], row.weight});
}

}  // namespace loyalty
