// One customer's (or one group of identical customers') calibration summary: the input of every
// "buy till you die" model. Conventions of Fader, Hardie & Lee (2005) and of the lifetimes library:
// frequency = number of repeat purchases (x), recency = time of the last purchase since the first (t_x),
// t = time from the first purchase to the end of calibration (T), all in one time unit of the caller's
// choice.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include "model.hpp"

namespace loyalty {

struct SummaryRow {
  double frequency = 0;  // x, a non-negative integer
  double recency = 0;    // t_x, 0 <= t_x <= T; 0 when x = 0
  double t = 0;          // T >= 0 (0: the first purchase is at the end of the data; fits need T > 0)
  double weight = 1;     // how many customers share this row (compressed input)
};

// The validation of a customer to be scored (the predictions): throws std::invalid_argument naming the
// offending values unless x is a non-negative integer, 0 <= t_x <= T, T >= 0 finite, x = 0 implies t_x = 0,
// T = 0 implies x = 0 (a customer whose first purchase is at the end of the data: P(alive) and the
// expectations are those of a customer just acquired), and weight > 0.
void validate_summary_row(const SummaryRow& row);

// The row as a model row (RowKind::continuous), and that row kind's validation for fitting: the rules above
// with T > 0 ("t must be positive": a customer observed for no time tells the likelihood nothing).
ModelRow to_model_row(const SummaryRow& row);
void validate_continuous_row(const ModelRow& row);

}  // namespace loyalty
