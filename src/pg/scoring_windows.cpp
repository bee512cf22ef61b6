// Window functions that fit the models on their partition and score every row of it in one statement
// (src/sql/420_predictions.sql, src/sql/430_clv.sql):
//   p_alive(frequency, recency, t) OVER (...)             BG/NBD P(alive)
//   churn_probability(frequency, recency, t) OVER (...)   1 - BG/NBD P(alive)
//   clv_estimate(frequency, recency, t, monetary, horizon, discount_rate[, period_length]) OVER (...)
//                                                          BG/NBD + Gamma-Gamma CLV (src/core/clv.hpp)
//
// Fitting once per partition: on the first call of a partition every row's arguments are read with
// WinGetFuncArgInPartition into palloc'd arrays (PostgreSQL code, which may ereport: no C++ object is alive
// then). One C++ scope (cpp_boundary) then fits BG/NBD on the rows without NULLs (and, for clv_estimate,
// Gamma-Gamma on those with frequency > 0), scores every row and stores the results in arrays that live with
// the partition (the context of WinGetPartitionLocalMemory). Every call, the first included, returns the
// current row's result. The frame clause is irrelevant: the fit always uses the whole partition.
// Rows with a NULL argument get NULL and take no part in the fits. A fit that does not converge is reported
// by a WARNING (its parameters are still used); a partition with no usable row scores NULL everywhere.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "bgnbd.hpp"
#include "clv.hpp"
#include "gamma_gamma.hpp"

#include "boundary.hpp"

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

void* partition_alloc(MemoryContext context, Size size) {
  void* p = MemoryContextAllocExtended(context, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
  if (p == nullptr)
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                    errdetail("Failed on request of size %zu for a window partition.", size)));
  return p;
}

// The arguments of every row of the partition, read column by column. nulls[i]: row i has a NULL argument.
struct PartitionArguments {
  int64 rows;
  int count;
  double* values[kMaxArguments];
  bool* nulls;
};

void read_partition(WindowObject winobj, int count, bool horizon_is_integer, MemoryContext context,
                    PartitionArguments* args) {
  const int64 rows = WinGetPartitionRowCount(winobj);
  if (rows > PG_INT32_MAX)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("window partition of " INT64_FORMAT " rows is too large to fit a model on", rows),
                    errhint("Partition the data into groups of at most %d rows.", PG_INT32_MAX)));
  args->rows = rows;
  args->count = count;
  const Size n = static_cast<Size>(rows > 0 ? rows : 1);
  for (int a = 0; a < count; ++a)
    args->values[a] = static_cast<double*>(partition_alloc(context, n * sizeof(double)));
  args->nulls = static_cast<bool*>(partition_alloc(context, n * sizeof(bool)));
  for (int64 i = 0; i < rows; ++i) {
    bool row_null = false;
    for (int a = 0; a < count; ++a) {
      bool isnull = false, isout = false;
      const Datum d =
          WinGetFuncArgInPartition(winobj, a, static_cast<int>(i), WINDOW_SEEK_HEAD, false, &isnull, &isout);
      if (isout) elog(ERROR, "window partition row " INT64_FORMAT " is out of the partition", i);
      // clv_estimate's horizon (argument 4, counted from 0) is an integer, every other argument a float8.
      const bool integer = horizon_is_integer && a == 4;
      args->values[a][i] =
          isnull ? 0.0 : (integer ? static_cast<double>(DatumGetInt32(d)) : DatumGetFloat8(d));
      row_null = row_null || isnull;
    }
    args->nulls[i] = row_null;
  }
}

// The C++ part: fits and scores. Writes a WARNING text into `warning` (empty when none) for the caller to
// report once it has left C++.
void fit_and_score(Score score, const PartitionArguments& args, PartitionScores* out, char* warning,
                   size_t warning_size) {
  warning[0] = '\0';
  const double* x = args.values[0];
  const double* t_x = args.values[1];
  const double* T = args.values[2];
  std::vector<loyalty::SummaryRow> rows;
  std::vector<loyalty::SpendRow> spend_rows;
  for (int64 i = 0; i < args.rows; ++i) {
    if (args.nulls[i]) continue;
    loyalty::SummaryRow row;
    row.frequency = x[i];
    row.recency = t_x[i];
    row.t = T[i];
    rows.push_back(row);
    if (score == Score::clv && x[i] > 0) {
      loyalty::SpendRow spend;
      spend.frequency = x[i];
      spend.monetary = args.values[3][i];
      spend_rows.push_back(spend);
    }
  }
  for (int64 i = 0; i < args.rows; ++i) out->nulls[i] = true;
  if (rows.empty()) return;  // nothing to fit: every row is NULL

  loyalty::FitOptions options;
  options.check_interrupt = loyalty::pg::check_for_interrupts;
  const loyalty::BgNbdFit transactions = loyalty::bgnbd_fit(rows, options);
  std::string problems;
  if (!transactions.report.converged)
    problems = "the BG/NBD fit on " + std::to_string(rows.size()) +
               " customers did not converge: " + transactions.report.status;
  loyalty::GammaGammaParams spend;
  if (score == Score::clv) {
    if (spend_rows.empty())
      throw std::invalid_argument(
          "clv_estimate needs at least one customer with frequency > 0 in the partition to fit the "
          "gamma-gamma "
          "spend model");
    const loyalty::GammaGammaFit spend_fit = loyalty::gamma_gamma_fit(spend_rows, options);
    spend = spend_fit.params;
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
      value = loyalty::bgnbd_clv(transactions.params, spend, x[i], t_x[i], T[i], args.values[3][i], horizon,
                                 loyalty::pg::check_for_interrupts);
    } else {
      const double alive = loyalty::bgnbd_p_alive(transactions.params, x[i], t_x[i], T[i]);
      value = score == Score::churn ? 1 - alive : alive;
    }
    out->results[i] = value;
    out->nulls[i] = false;
  }
  if (!problems.empty()) snprintf(warning, warning_size, "%s", problems.c_str());
}

Datum score_window(FunctionCallInfo fcinfo, Score score) {
  WindowObject winobj = PG_WINDOW_OBJECT();
  auto* scores = static_cast<PartitionScores*>(WinGetPartitionLocalMemory(winobj, sizeof(PartitionScores)));
  if (!scores->scored) {
    const int count = score == Score::clv ? PG_NARGS() : kFitArguments;
    if (count > kMaxArguments) elog(ERROR, "too many arguments to a scoring window function");
    MemoryContext context = GetMemoryChunkContext(scores);
    PartitionArguments args;
    read_partition(winobj, count, score == Score::clv, context, &args);
    const Size n = static_cast<Size>(args.rows > 0 ? args.rows : 1);
    scores->results = static_cast<double*>(partition_alloc(context, n * sizeof(double)));
    scores->nulls = static_cast<bool*>(partition_alloc(context, n * sizeof(bool)));
    scores->rows = args.rows;
    char warning[512] = "";
    loyalty::pg::cpp_boundary([&] {
      fit_and_score(score, args, scores, warning, sizeof warning);
      return Datum(0);
    });
    for (int a = 0; a < args.count; ++a) pfree(args.values[a]);
    pfree(args.nulls);
    scores->scored = true;
    if (warning[0] != '\0')
      ereport(WARNING,
              (errmsg("%s", warning),
               errdetail("The scores of this partition use the parameters where the optimiser stopped.")));
  }
  const int64 position = WinGetCurrentPosition(winobj);
  if (position < 0 || position >= scores->rows || scores->nulls[position]) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(scores->results[position]);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_p_alive_window);
Datum loyalty_p_alive_window(PG_FUNCTION_ARGS) {
  return score_window(fcinfo, Score::p_alive);
}

PG_FUNCTION_INFO_V1(loyalty_churn_probability_window);
Datum loyalty_churn_probability_window(PG_FUNCTION_ARGS) {
  return score_window(fcinfo, Score::churn);
}

PG_FUNCTION_INFO_V1(loyalty_clv_estimate_window);
Datum loyalty_clv_estimate_window(PG_FUNCTION_ARGS) {
  return score_window(fcinfo, Score::clv);
}

}  // extern "C"
