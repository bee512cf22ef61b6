#include "customer_scores.hpp"

#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "customer_summary_row.hpp"
#include "number_text.hpp"
#include "penalized_fit.hpp"

namespace loyalty {
namespace {

constexpr int kMaxRiskBoundaries = 100;

// The model as the literature writes it, for messages ("BG/NBD", "Pareto/NBD"; the labels are lower case).
std::string model_name(const ModelDescription& model) {
  std::string name = model.label;
  if (name == "pareto/nbd") return "Pareto/NBD";
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

void validate_risk_boundaries(const double* boundaries, int count) {
  if (count < 1 || count > kMaxRiskBoundaries)
    throw std::invalid_argument("risk boundaries must hold between 1 and 100 values (got " +
                                std::to_string(count) + ")");
  for (int i = 0; i < count; ++i) {
    const double b = boundaries[i];
    if (!std::isfinite(b) || b <= 0 || b >= 1)
      throw std::invalid_argument("risk boundaries must lie strictly between 0 and 1 (got " + number_text(b) +
                                  ")");
    if (i > 0 && b <= boundaries[i - 1])
      throw std::invalid_argument("risk boundaries must increase (" + number_text(boundaries[i - 1]) +
                                  " then " + number_text(b) + ")");
  }
}

int risk_segment(const double* boundaries, int count, double churn_probability) {
  int segment = 0;
  while (segment < count && churn_probability >= boundaries[segment]) ++segment;
  return segment;
}

void validate_history(const ModelDescription& model, double x, double t_x, double T) {
  if (model.row_kind == RowKind::continuous) {
    validate_summary_row(SummaryRow{x, t_x, T, 1});
  } else {
    model.validate_row(ModelRow{{x, t_x, T}, 1});
  }
}

bool row_takes_part_in_fit(const ModelDescription& model, double T) {
  return model.row_kind != RowKind::continuous || T > 0;
}

CustomerScores score_customer(const ModelDescription& model, const double* params,
                              const ScoringRequest& request, double x, double t_x, double T, double m,
                              const std::function<void()>& check_interrupt) {
  if (model.p_alive == nullptr || model.expected_purchases == nullptr)
    throw std::invalid_argument(std::string(model.label) + " does not predict purchases");
  CustomerScores scores;
  scores.p_alive = model.p_alive(params, x, t_x, T);  // validates the history
  scores.churn_probability = 1 - scores.p_alive;
  scores.risk_segment =
      risk_segment(request.risk_boundaries, request.risk_boundary_count, scores.churn_probability);
  if (request.p_alive_only) return scores;
  validate_clv_horizon(request.horizon);
  const double within = request.horizon.periods * request.horizon.period_length;
  if (!request.with_value) {
    scores.expected_purchases = model.expected_purchases(params, x, t_x, T, within);
    scores.value = std::numeric_limits<double>::quiet_NaN();
    return scores;
  }
  if (model.row_kind == RowKind::discrete &&
      !(request.horizon.period_length >= 1 &&
        request.horizon.period_length == std::floor(request.horizon.period_length)))
    throw std::invalid_argument(std::string(model.label) +
                                " period length must be a positive whole number of opportunities (got " +
                                number_text(request.horizon.period_length) + ")");
  // The value's sum evaluates the cumulative expectation at every period boundary: its last one is the
  // horizon's expected purchases (clv.hpp's formula, without a second evaluation).
  double last = 0;
  scores.value = discounted_customer_value(
      [&](double h) { return last = model.expected_purchases(params, x, t_x, T, h); },
      gamma_gamma_expected_spend(request.spend, x, m), request.horizon, check_interrupt);
  scores.expected_purchases = last;
  return scores;
}

PartitionFit fit_partition(const ModelDescription& model, const std::vector<PartitionRow>& rows,
                           bool with_spend, double penalizer, const std::function<void()>& check_interrupt) {
  std::vector<ModelRow> transactions, spend;
  for (const PartitionRow& row : rows) {
    if (!row_takes_part_in_fit(model, row.T)) continue;
    transactions.push_back(ModelRow{{row.x, row.t_x, row.T}, 1});
    if (with_spend && row.x > 0 && std::isfinite(row.m)) spend.push_back(ModelRow{{row.x, row.m, 0}, 1});
  }
  if (transactions.empty())
    throw std::invalid_argument("no customer of the partition can be fitted by " + model_name(model) +
                                " (every one has t = 0)");
  FitOptions options;
  options.penalizer = penalizer;
  options.check_interrupt = check_interrupt;
  PartitionFit fit;
  fit.transactions = fit_model(model, transactions, options);
  if (!fit.transactions.report.converged)
    fit.warning = "the " + model_name(model) + " fit on " + std::to_string(transactions.size()) +
                  " customers did not converge: " + fit.transactions.report.status;
  if (with_spend && !spend.empty()) {
    const ModelFit spend_fit = fit_model(kGammaGammaModel, spend, options);
    fit.has_spend = true;
    fit.spend = {spend_fit.params[0], spend_fit.params[1], spend_fit.params[2]};
    if (!spend_fit.report.converged)
      fit.warning += std::string(fit.warning.empty() ? "" : "; ") + "the gamma-gamma fit on " +
                     std::to_string(spend.size()) +
                     " repeat customers did not converge: " + spend_fit.report.status;
  }
  return fit;
}

}  // namespace loyalty
