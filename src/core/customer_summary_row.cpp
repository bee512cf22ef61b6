#include "customer_summary_row.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "number_text.hpp"

namespace loyalty {
namespace {

// The rules of both validations; a fit needs t > 0 (a customer observed for no time adds nothing to the
// likelihood), a prediction accepts t = 0.
void validate(const SummaryRow& row, bool fit) {
  auto fail = [&](const char* what) {
    throw std::invalid_argument(std::string(what) + " (frequency " + number_text(row.frequency) +
                                ", recency " + number_text(row.recency) + ", t " + number_text(row.t) + ")");
  };
  if (!std::isfinite(row.frequency) || row.frequency < 0 || row.frequency != std::floor(row.frequency))
    fail("frequency must be a non-negative integer");
  if (fit) {
    if (!std::isfinite(row.t) || row.t <= 0) fail("t must be positive");
  } else if (!std::isfinite(row.t) || row.t < 0) {
    fail("t must be non-negative and finite");
  }
  if (!std::isfinite(row.recency) || row.recency < 0 || row.recency > row.t)
    fail("recency must lie between 0 and t");
  if (row.frequency == 0 && row.recency != 0) fail("recency must be 0 when frequency is 0");
  // t = 0: the first purchase is at the end of the data, so no repeat purchase can have followed it.
  if (row.t == 0 && row.frequency != 0) fail("frequency must be 0 when t is 0");
  if (!std::isfinite(row.weight) || row.weight <= 0) fail("weight must be positive");
}

}  // namespace

void validate_summary_row(const SummaryRow& row) {
  validate(row, false);
}

ModelRow to_model_row(const SummaryRow& row) {
  return ModelRow{{row.frequency, row.recency, row.t}, row.weight};
}

void validate_continuous_row(const ModelRow& row) {
  validate(SummaryRow{row.key[0], row.key[1], row.key[2], row.weight}, true);
}

}  // namespace loyalty
