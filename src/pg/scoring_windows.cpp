// Window functions that fit a model on their partition and score every row of it in one statement
// (src/sql/420_predictions.sql, 430_clv.sql, 440_customer_scores.sql):
//   p_alive(frequency, recency, t [, model, penalizer]) OVER (...)             P(alive)
//   p_alive(summary customer_summary_result, model, penalizer) OVER (...)
//   churn_probability(<the same>) OVER (...)                                   1 - P(alive)
//   clv_estimate(frequency, recency, t, monetary, horizon, discount_rate[, period_length[, model,
//   penalizer]]) clv_estimate(summary, horizon, discount_rate, period_length, model, penalizer) OVER (...)
//   customer_scores(frequency, recency, t, monetary | summary, horizon, discount_rate, period_length, model,
//                   penalizer, risk_boundaries, risk_labels) OVER (...)       every score, one composite
// `model` names the transaction model ('bgnbd', 'mbgnbd', 'pareto_nbd', 'bgbb'); without it, kDefaultModel
// (chosen by holdout checks, docs/predictions_and_clv.md). CLV and customer_scores also fit Gamma-Gamma on
// the repeat customers.
//
// Fitting once per partition: on the first call of a partition every row's arguments are read with
// WinGetFuncArgInPartition into arrays that live with the partition (WinGetPartitionLocalMemory; PostgreSQL
// calls in postgres_guard); every row is validated (an invalid one stops the statement, 22023, naming its
// values and its position in the partition); the core fits the models (customer_scores.hpp: rows with t = 0
// are scored but take no part in the fit) and scores every row; the results are kept with the partition.
// Every call, the first included, returns the current row's result. The frame clause is irrelevant. Rows
// with a NULL argument get NULL and take no part in the fits (customer_scores: a NULL monetary only makes
// that row's clv NULL). The model, penalizer and risk arguments are read from the partition's first row.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "customer_scores.hpp"
#include "gamma_gamma.hpp"

#include "boundary.hpp"
#include "memory.hpp"
#include "customer_scores_result.hpp"
#include "model_dispatch.hpp"
#include "summary_composite.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "windowapi.h"
}
#pragma GCC diagnostic pop

namespace {

// The window forms' model when none is named: it must give one-time buyers a churn probability that grows
// with the time since their purchase (BG/NBD gives them 0), and it predicted the holdout periods of CDNOW and
// of the demo's data best (docs/predictions_and_clv.md, "Choosing a model"). Also the SQL default of the
// `model` arguments.
constexpr const char* kDefaultModel = "pareto_nbd";

enum class Output { p_alive, churn, clv, scores };

// Where a form's arguments are (-1: absent). Columns forms: frequency, recency, t at 0, 1, 2; summary forms:
// the composite at 0.
struct WindowForm {
  Output output;
  bool summary;
  int monetary, horizon, discount, period_length, model, penalizer, boundaries, labels;
};

constexpr WindowForm kPAliveColumns{Output::p_alive, false, -1, -1, -1, -1, 3, 4, -1, -1};
constexpr WindowForm kChurnColumns{Output::churn, false, -1, -1, -1, -1, 3, 4, -1, -1};
constexpr WindowForm kPAliveSummary{Output::p_alive, true, -1, -1, -1, -1, 1, 2, -1, -1};
constexpr WindowForm kChurnSummary{Output::churn, true, -1, -1, -1, -1, 1, 2, -1, -1};
constexpr WindowForm kClvColumns{Output::clv, false, 3, 4, 5, 6, 7, 8, -1, -1};
constexpr WindowForm kClvSummary{Output::clv, true, -1, 1, 2, 3, 4, 5, -1, -1};
constexpr WindowForm kScoresColumns{Output::scores, false, 3, 4, 5, 6, 7, 8, 9, 10};
constexpr WindowForm kScoresSummary{Output::scores, true, -1, 1, 2, 3, 4, 5, 6, 7};

// One row's inputs. null: the row is not scored; spend_known: m is known (customer_scores' clv).
struct RowInput {
  double x, t_x, T, m, periods, discount_rate, period_length;
  bool null, spend_known;
};

// What a partition keeps between calls (zeroed by WinGetPartitionLocalMemory at each new partition).
struct PartitionScores {
  bool scored;
  int64 rows;
  loyalty::CustomerScores* scores;  // one per row, in the partition's memory context
  bool* nulls;
  bool* value_known;
  const loyalty::pg::ScoringSetup* setup;  // customer_scores only
};

// The partition's options, from its first row.
struct Options {
  char model[64];
  bool model_null, penalizer_null;
  double penalizer;
  Datum boundaries, labels;  // customer_scores; valid while the partition is
  bool arrays_null;
};

Options read_options(WindowObject winobj, FunctionCallInfo fcinfo, const WindowForm& form) {
  Options o;
  snprintf(o.model, sizeof o.model, "%s", kDefaultModel);
  o.model_null = o.penalizer_null = o.arrays_null = false;
  o.penalizer = 0;
  o.boundaries = o.labels = 0;
  const int nargs = PG_NARGS();
  loyalty::pg::postgres_guard([&] {
    bool isnull, isout;
    if (form.model >= 0 && form.model < nargs) {
      const Datum d =
          WinGetFuncArgInPartition(winobj, form.model, 0, WINDOW_SEEK_HEAD, false, &isnull, &isout);
      o.model_null = isnull;
      if (!isnull) text_to_cstring_buffer(DatumGetTextPP(d), o.model, sizeof o.model);
    }
    if (form.penalizer >= 0 && form.penalizer < nargs) {
      const Datum d =
          WinGetFuncArgInPartition(winobj, form.penalizer, 0, WINDOW_SEEK_HEAD, false, &isnull, &isout);
      o.penalizer_null = isnull;
      if (!isnull) o.penalizer = DatumGetFloat8(d);
    }
    if (form.boundaries >= 0) {
      bool labels_null;
      o.boundaries =
          WinGetFuncArgInPartition(winobj, form.boundaries, 0, WINDOW_SEEK_HEAD, false, &isnull, &isout);
      o.labels =
          WinGetFuncArgInPartition(winobj, form.labels, 0, WINDOW_SEEK_HEAD, false, &labels_null, &isout);
      o.arrays_null = isnull || labels_null;
    }
  });
  if (o.model_null) throw std::invalid_argument("model must not be NULL");
  if (o.penalizer_null) throw std::invalid_argument("penalizer must not be NULL");
  if (o.arrays_null) throw std::invalid_argument("risk boundaries and risk labels must not be NULL");
  return o;
}

// The model named `name` ('bgnbd', 'mbgnbd', 'pareto_nbd', 'bgbb', or its SQL type).
const loyalty::ModelDescription& named_model(const char* name) {
  static const char* const names[] = {"bgnbd", "mbgnbd", "pareto_nbd", "bgbb"};
  for (const char* known : names) {
    const std::string type = std::string(known) + "_model";
    if (std::strcmp(name, known) == 0 || type == name) return *loyalty::pg::bound_model(type.c_str()).model;
  }
  throw std::invalid_argument(std::string("unknown model \"") + name +
                              "\": use 'bgnbd', 'mbgnbd', 'pareto_nbd' or 'bgbb'");
}

std::string at_row(int64 i) {
  return " at row " + std::to_string(i + 1) + " of the window partition";
}

// Every row's inputs, read column by column.
void read_rows(WindowObject winobj, FunctionCallInfo fcinfo, const WindowForm& form, int64 rows,
               RowInput* input) {
  const int nargs = PG_NARGS();
  const bool has_period = form.period_length >= 0 && form.period_length < nargs;
  for (int64 i = 0; i < rows; ++i) {
    if (i % 1000 == 0) loyalty::pg::check_for_interrupts();
    RowInput& r = input[i];
    r.m = std::numeric_limits<double>::quiet_NaN();
    r.periods = r.discount_rate = 0;
    r.period_length = 1;
    bool null = false, m_null = false;
    Datum summary = 0;
    loyalty::pg::postgres_guard([&] {  // plain values only
      bool isnull, isout;
      auto arg = [&](int a) {
        const Datum d = WinGetFuncArgInPartition(winobj, a, static_cast<int>(i), WINDOW_SEEK_HEAD, false,
                                                 &isnull, &isout);
        if (isout) elog(ERROR, "window partition row " INT64_FORMAT " is out of the partition", i);
        return d;
      };
      if (form.summary) {
        summary = arg(0);
        null = isnull;
      } else {
        const Datum x = arg(0);
        null = null || isnull;
        const Datum t_x = arg(1);
        null = null || isnull;
        const Datum T = arg(2);
        null = null || isnull;
        r.x = null ? 0 : DatumGetFloat8(x);
        r.t_x = null ? 0 : DatumGetFloat8(t_x);
        r.T = null ? 0 : DatumGetFloat8(T);
        if (form.monetary >= 0) {
          const Datum m = arg(form.monetary);
          m_null = isnull;
          if (!isnull) r.m = DatumGetFloat8(m);
        }
      }
      if (form.horizon >= 0) {
        const Datum h = arg(form.horizon);
        null = null || isnull;
        if (!isnull) r.periods = DatumGetInt32(h);
        const Datum d = arg(form.discount);
        null = null || isnull;
        if (!isnull) r.discount_rate = DatumGetFloat8(d);
        if (has_period) {
          const Datum l = arg(form.period_length);
          null = null || isnull;
          if (!isnull) r.period_length = DatumGetFloat8(l);
        }
      }
    });
    if (form.summary && !null) {
      const loyalty::pg::SummaryFields s = loyalty::pg::read_summary(fcinfo, summary);
      null = !s.calibrated;
      r.x = s.frequency;
      r.t_x = s.recency;
      r.T = s.t;
      r.m = s.monetary;
      m_null = std::isnan(s.monetary);
    }
    // clv_estimate leaves out a row without a spend; customer_scores only leaves its clv unknown.
    if (form.output == Output::clv && m_null) null = true;
    r.null = null;
    r.spend_known = !m_null && (form.output == Output::clv || form.output == Output::scores);
  }
}

// The C++ part: validation, fits and scores. Writes a WARNING text into `warning` (empty when none) for the
// caller to report once it has left C++.
void fit_and_score(const WindowForm& form, const Options& options, const RowInput* input,
                   PartitionScores* out, char* warning, size_t warning_size) {
  warning[0] = '\0';
  const loyalty::ModelDescription& model = named_model(options.model);
  const bool with_value = form.output == Output::clv || form.output == Output::scores;
  std::vector<loyalty::PartitionRow> rows;
  for (int64 i = 0; i < out->rows; ++i) {
    out->nulls[i] = true;
    out->value_known[i] = false;
    const RowInput& r = input[i];
    if (r.null) continue;
    try {
      loyalty::validate_history(model, r.x, r.t_x, r.T);
      if (r.spend_known && r.x > 0)
        loyalty::kGammaGammaModel.validate_row(loyalty::ModelRow{{r.x, r.m, 0}, 1});
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(e.what() + at_row(i));
    }
    rows.push_back(loyalty::PartitionRow{r.x, r.t_x, r.T, r.spend_known ? r.m : NAN});
  }
  if (rows.empty()) return;  // nothing to fit: every row is NULL

  const loyalty::PartitionFit fit =
      loyalty::fit_partition(model, rows, with_value, options.penalizer, loyalty::pg::check_for_interrupts);
  std::string problems = fit.warning;
  if (with_value && !fit.has_spend) {
    if (form.output == Output::clv)
      throw std::invalid_argument(
          "clv_estimate needs at least one customer with frequency > 0 in the partition to fit the "
          "gamma-gamma spend model");
    problems +=
        std::string(problems.empty() ? "" : "; ") +
        "no repeat customer with a known monetary value to fit the gamma-gamma spend model: clv is NULL";
  }
  loyalty::ScoringRequest request;
  request.spend = fit.spend;
  static const double kNoBoundary[1] = {2.0};  // one segment when there is no segmentation
  request.risk_boundaries = out->setup ? loyalty::pg::risk_boundaries(out->setup) : kNoBoundary;
  request.risk_boundary_count = out->setup ? loyalty::pg::risk_boundary_count(out->setup) : 0;
  for (int64 i = 0; i < out->rows; ++i) {
    if (i % 1000 == 0) loyalty::pg::check_for_interrupts();
    const RowInput& r = input[i];
    if (r.null) continue;
    request.horizon.periods = r.periods;
    request.horizon.discount_rate = r.discount_rate;
    request.horizon.period_length = r.period_length;
    request.with_value = with_value && fit.has_spend && r.spend_known;
    request.p_alive_only = form.output == Output::p_alive || form.output == Output::churn;
    try {
      out->scores[i] = loyalty::score_customer(model, fit.transactions.params.data(), request, r.x, r.t_x,
                                               r.T, r.m, loyalty::pg::check_for_interrupts);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(e.what() + at_row(i));
    }
    out->nulls[i] = false;
    out->value_known[i] = request.with_value;
  }
  if (!problems.empty()) snprintf(warning, warning_size, "%s", problems.c_str());
}

Datum score_window(FunctionCallInfo fcinfo, const WindowForm& form) {
  WindowObject winobj = PG_WINDOW_OBJECT();
  auto* scores = loyalty::pg::postgres_guard([&] {
    return static_cast<PartitionScores*>(WinGetPartitionLocalMemory(winobj, sizeof(PartitionScores)));
  });
  if (!scores->scored) {
    const int64 rows = loyalty::pg::postgres_guard([&] {
      const int64 count = WinGetPartitionRowCount(winobj);
      if (count > PG_INT32_MAX)
        ereport(ERROR,
                (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                 errmsg("window partition of " INT64_FORMAT " rows is too large to fit a model on", count),
                 errhint("Partition the data into groups of at most %d rows.", PG_INT32_MAX)));
      return count;
    });
    MemoryContext context = GetMemoryChunkContext(scores);
    const Size n = static_cast<Size>(rows > 0 ? rows : 1);
    scores->rows = rows;
    scores->scores = static_cast<loyalty::CustomerScores*>(
        loyalty::pg::allocate(context, n * sizeof(loyalty::CustomerScores), true));
    scores->nulls = static_cast<bool*>(loyalty::pg::allocate(context, n * sizeof(bool), true));
    scores->value_known = static_cast<bool*>(loyalty::pg::allocate(context, n * sizeof(bool), true));
    auto* input = static_cast<RowInput*>(loyalty::pg::allocate(context, n * sizeof(RowInput), true));
    char warning[512] = "";
    if (rows > 0) {
      const Options options = read_options(winobj, fcinfo, form);
      if (form.output == Output::scores)
        scores->setup = loyalty::pg::scoring_setup(fcinfo, options.boundaries, options.labels);
      read_rows(winobj, fcinfo, form, rows, input);
      fit_and_score(form, options, input, scores, warning, sizeof warning);
    }
    pfree(input);  // cannot raise: our own chunk
    scores->scored = true;
    if (warning[0] != '\0')
      loyalty::pg::postgres_guard([&] {
        ereport(WARNING,
                (errmsg("%s", warning),
                 errdetail("The scores of this partition use the parameters where the optimiser stopped.")));
      });
  }
  const int64 position = loyalty::pg::postgres_guard([&] { return WinGetCurrentPosition(winobj); });
  if (position < 0 || position >= scores->rows || scores->nulls[position]) PG_RETURN_NULL();
  const loyalty::CustomerScores& s = scores->scores[position];
  switch (form.output) {
    case Output::p_alive:
      return Float8GetDatum(s.p_alive);
    case Output::churn:
      return Float8GetDatum(s.churn_probability);
    case Output::clv:
      return Float8GetDatum(s.value);
    case Output::scores:
      break;
  }
  return loyalty::pg::scores_result(scores->setup, s, scores->value_known[position]);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_p_alive_window) {
  return score_window(fcinfo, kPAliveColumns);
}

LOYALTY_SQL_FUNCTION(loyalty_churn_probability_window) {
  return score_window(fcinfo, kChurnColumns);
}

LOYALTY_SQL_FUNCTION(loyalty_p_alive_summary_window) {
  return score_window(fcinfo, kPAliveSummary);
}

LOYALTY_SQL_FUNCTION(loyalty_churn_probability_summary_window) {
  return score_window(fcinfo, kChurnSummary);
}

LOYALTY_SQL_FUNCTION(loyalty_clv_estimate_window) {
  return score_window(fcinfo, kClvColumns);
}

LOYALTY_SQL_FUNCTION(loyalty_clv_estimate_summary_window) {
  return score_window(fcinfo, kClvSummary);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_scores_window) {
  return score_window(fcinfo, kScoresColumns);
}

LOYALTY_SQL_FUNCTION(loyalty_customer_scores_summary_window) {
  return score_window(fcinfo, kScoresSummary);
}
