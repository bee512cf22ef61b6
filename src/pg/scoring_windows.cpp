// Window functions that fit the models on their partition and score every row of it in one statement
// (src/sql/420_predictions.sql, src/sql/430_clv.sql):
//   p_alive(frequency, recency, t) OVER (...)             BG/NBD P(alive)
//   churn_probability(frequency, recency, t) OVER (...)   1 - BG/NBD P(alive)
//   clv_estimate(frequency, recency, t, monetary, horizon, discount_rate[, period_length]) OVER (...)
//                                                          BG/NBD + Gamma-Gamma CLV (src/core/clv.hpp)
//
// Fitting once per partition: on the first call of a partition every row's arguments are read with
// WinGetFuncArgInPartition into arrays that live with the partition (the context of
// WinGetPartitionLocalMemory; PostgreSQL calls in postgres_guard). Then BG/NBD is fitted by the core's one
// fit driver on the rows without NULLs (and, for clv_estimate, Gamma-Gamma on those with frequency > 0),
// every row is scored through the model descriptions, and the results are stored with the partition. Every
// call, the first included, returns the current row's result. The frame clause is irrelevant: the fit always
// uses the whole partition. Rows with a NULL argument get NULL and take no part in the fits. A fit that does
// not converge is reported by a WARNING (its parameters are still used); a partition with no usable row
// scores NULL everywhere.
#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "bgnbd.hpp"
#include "clv.hpp"
#include "gamma_gamma.hpp"

#include "boundary.hpp"
#include "memory.hpp"
#include "model_dispatch.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "windowapi.h"
}
#pragma GCC diagnostic pop

namespace {

enum class Score { p_alive, churn, clv };

constexpr int kMaxArguments = 7;
constexpr int kFitArguments = 3;  // frequency, recency, t

// What a partition keeps between calls (zeroed by WinGetPartitionLocalMemory at each new partition).
struct PartitionScores {
  bool scored;
  int64 rows;
  double* results;  // one per row, in the partition's memory context
  bool* nulls;
};

// The arguments of every row of the partition, read column by column. nulls[i]: row i has a NULL argument.
struct PartitionArguments {
  int64 rows;
  int count;
  double* values[kMaxArguments];
  bool* nulls;
};

void read_partition(WindowObject winobj, int count, bool horizon_is_integer, MemoryContext context,
                    PartitionArguments* args) {
  const int64 rows = loyalty::pg::postgres_guard([&] {
    const int64 count = WinGetPartitionRowCount(winobj);
    if (count > PG_INT32_MAX)
      ereport(ERROR,
              (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
               errmsg("window partition of " INT64_FORMAT " rows is too large to fit a model on", count),
               errhint("Partition the data into groups of at most %d rows.", PG_INT32_MAX)));
    return count;
  });
  args->rows = rows;
  args->count = count;
  const Size n = static_cast<Size>(rows > 0 ? rows : 1);
  for (int a = 0; a < count; ++a)
    args->values[a] = static_cast<double*>(loyalty::pg::allocate(context, n * sizeof(double), true));
  args->nulls = static_cast<bool*>(loyalty::pg::allocate(context, n * sizeof(bool), true));
  loyalty::pg::postgres_guard([&] {  // WinGetFuncArgInPartition may raise; the lambda holds plain values only
    for (int64 i = 0; i < rows; ++i) {
      bool row_null = false;
      for (int a = 0; a < count; ++a) {
        bool isnull = false, isout = false;
        const Datum d = WinGetFuncArgInPartition(winobj, a, static_cast<int>(i), WINDOW_SEEK_HEAD, false,
                                                 &isnull, &isout);
        if (isout) elog(ERROR, "window partition row " INT64_FORMAT " is out of the partition", i);
        // clv_estimate's horizon (argument 4, counted from 0) is an integer, every other argument a float8.
        const bool integer = horizon_is_integer && a == 4;
        args->values[a][i] =
            isnull ? 0.0 : (integer ? static_cast<double>(DatumGetInt32(d)) : DatumGetFloat8(d));
        row_null = row_null || isnull;
      }
      args->nulls[i] = row_null;
    }
  });
}

// The C++ part: fits and scores. Writes a WARNING text into `warning` (empty when none) for the caller to
// report once it has left C++.
void fit_and_score(Score score, const PartitionArguments& args, PartitionScores* out, char* warning,
                   size_t warning_size) {
  warning[0] = '\0';
  const double* x = args.values[0];
  const double* t_x = args.values[1];
  const double* T = args.values[2];
  std::vector<loyalty::ModelRow> rows, spend_rows;
  for (int64 i = 0; i < args.rows; ++i) {
    if (args.nulls[i]) continue;
    rows.push_back(loyalty::ModelRow{{x[i], t_x[i], T[i]}, 1});
    if (score == Score::clv && x[i] > 0)
      spend_rows.push_back(loyalty::ModelRow{{x[i], args.values[3][i], 0}, 1});
  }
  for (int64 i = 0; i < args.rows; ++i) out->nulls[i] = true;
  if (rows.empty()) return;  // nothing to fit: every row is NULL

  loyalty::FitOptions options;
  options.check_interrupt = loyalty::pg::check_for_interrupts;
  const loyalty::ModelDescription& bgnbd = *loyalty::pg::bound_model("bgnbd_model").model;
  const loyalty::ModelFit transactions = loyalty::fit_model(bgnbd, rows, options);
  std::string problems;
  if (!transactions.report.converged)
    problems = "the BG/NBD fit on " + std::to_string(rows.size()) +
               " customers did not converge: " + transactions.report.status;
  loyalty::GammaGammaParams spend;
  if (score == Score::clv) {
    if (spend_rows.empty())
      throw std::invalid_argument(
          "clv_estimate needs at least one customer with frequency > 0 in the partition to fit the "
          "gamma-gamma spend model");
    const loyalty::ModelFit spend_fit =
        loyalty::fit_model(*loyalty::pg::bound_model("gamma_gamma_model").model, spend_rows, options);
    spend = {spend_fit.params[0], spend_fit.params[1], spend_fit.params[2]};
    if (!spend_fit.report.converged)
      problems += std::string(problems.empty() ? "" : "; ") + "the gamma-gamma fit on " +
                  std::to_string(spend_rows.size()) +
                  " repeat customers did not converge: " + spend_fit.report.status;
  }
  for (int64 i = 0; i < args.rows; ++i) {
    if (i % 1000 == 0) loyalty::pg::check_for_interrupts();
    if (args.nulls[i]) continue;
    double value;
    if (score == Score::clv) {
      loyalty::ClvHorizon horizon;
      horizon.periods = args.values[4][i];
      horizon.discount_rate = args.values[5][i];
      horizon.period_length = args.count > 6 ? args.values[6][i] : 1.0;
      value = loyalty::customer_value(bgnbd, transactions.params.data(), spend, x[i], t_x[i], T[i],
                                      args.values[3][i], horizon, loyalty::pg::check_for_interrupts);
    } else {
      const double alive = bgnbd.p_alive(transactions.params.data(), x[i], t_x[i], T[i]);
      value = score == Score::churn ? 1 - alive : alive;
    }
    out->results[i] = value;
    out->nulls[i] = false;
  }
  if (!problems.empty()) snprintf(warning, warning_size, "%s", problems.c_str());
}

Datum score_window(FunctionCallInfo fcinfo, Score score) {
  WindowObject winobj = PG_WINDOW_OBJECT();
  auto* scores = loyalty::pg::postgres_guard([&] {
    return static_cast<PartitionScores*>(WinGetPartitionLocalMemory(winobj, sizeof(PartitionScores)));
  });
  if (!scores->scored) {
    const int count = score == Score::clv ? PG_NARGS() : kFitArguments;
    if (count > kMaxArguments) throw std::logic_error("too many arguments to a scoring window function");
    MemoryContext context = GetMemoryChunkContext(scores);
    PartitionArguments args;
    read_partition(winobj, count, score == Score::clv, context, &args);
    const Size n = static_cast<Size>(args.rows > 0 ? args.rows : 1);
    scores->results = static_cast<double*>(loyalty::pg::allocate(context, n * sizeof(double), true));
    scores->nulls = static_cast<bool*>(loyalty::pg::allocate(context, n * sizeof(bool), true));
    scores->rows = args.rows;
    char warning[512] = "";
    fit_and_score(score, args, scores, warning, sizeof warning);
    for (int a = 0; a < args.count; ++a) pfree(args.values[a]);  // cannot raise: our own chunks
    pfree(args.nulls);
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
  PG_RETURN_FLOAT8(scores->results[position]);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_p_alive_window) {
  return score_window(fcinfo, Score::p_alive);
}

LOYALTY_SQL_FUNCTION(loyalty_churn_probability_window) {
  return score_window(fcinfo, Score::churn);
}

LOYALTY_SQL_FUNCTION(loyalty_clv_estimate_window) {
  return score_window(fcinfo, Score::clv);
}
