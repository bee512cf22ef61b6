// SQL binding of the model fits and of the distributed log-likelihood aggregates.
//
// Fits (bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit): the state is `internal`, a table
// of distinct rows with their customer counts (model_fit_state.hpp), serialised to bytea between parallel
// workers. The transition functions validate each row with the core's own checks (22023 naming the values),
// skip rows with a NULL argument, and leave the state NULL until a row counts, so that no rows give NULL. The
// final function copies the rows into the core's input vector and fits inside cpp_boundary (the fit polls
// check_for_interrupts, so a cancel or statement_timeout stops it); the result tuple is built afterwards,
// when no C++ object is alive. It never modifies the state (window use).
//
// Log-likelihood aggregates (bgnbd_log_likelihood, ...): a fixed-size float8[] state
//   [model code, customers, log_likelihood, gradient_1..gradient_k, parameter_1..parameter_k]
// that sums each row's log-likelihood and gradient at given parameters, so that one optimiser iteration of an
// external driver runs as a partial aggregate anywhere. Parameters are NaN until the first row sets them.
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "bgbb.hpp"
#include "bgnbd.hpp"
#include "counter_state.hpp"
#include "customer_summary_row.hpp"
#include "gamma_gamma.hpp"
#include "mbgnbd.hpp"
#include "number_text.hpp"
#include "pareto_nbd.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"
#include "model_composite.hpp"
#include "model_fit_state.hpp"

namespace {

using loyalty::pg::FitModel;
using loyalty::pg::FitRowEntry;
using loyalty::pg::FitRowTable;

// ---- fit aggregates: transition
// ----------------------------------------------------------------------------

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* what) {
  MemoryContext context;
  if (!AggCheckCallContext(fcinfo, &context))
    ereport(ERROR,
            (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("%s called in non-aggregate context", what)));
  return context;
}

bool any_null(FunctionCallInfo fcinfo, int first, int last) {
  for (int i = first; i <= last; ++i)
    if (PG_ARGISNULL(i)) return true;
  return false;
}

void check_penalizer(double penalizer) {
  if (!(std::isfinite(penalizer) && penalizer >= 0))
    throw std::invalid_argument("penalizer must be non-negative and finite (got " +
                                loyalty::number_text(penalizer) + ")");
}

// Adds one customer row (already validated) to the state, creating the state on the first row.
Datum add_row(FunctionCallInfo fcinfo, MemoryContext context, FitModel model, const double key[3],
              double weight, int penalizer_arg) {
  FitRowTable* table =
      PG_ARGISNULL(0) ? loyalty::pg::fit_rows_create(context, model) : (FitRowTable*)PG_GETARG_POINTER(0);
  if (penalizer_arg > 0) loyalty::pg::fit_rows_set_penalizer(table, PG_GETARG_FLOAT8(penalizer_arg));
  loyalty::pg::fit_rows_add(table, key, weight);
  PG_RETURN_POINTER(table);
}

// The state unchanged (NULL while no row has counted).
Datum skip_row(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  PG_RETURN_POINTER(PG_GETARG_POINTER(0));
}

// Validates (frequency, recency, t) and the penalizer argument, if any, then adds the customer.
Datum add_continuous_row(FunctionCallInfo fcinfo, MemoryContext context, FitModel model, const double key[3],
                         int penalizer_arg) {
  loyalty::pg::cpp_boundary([&] {
    loyalty::SummaryRow row;
    row.frequency = key[0];
    row.recency = key[1];
    row.t = key[2];
    loyalty::validate_summary_row(row);
    if (penalizer_arg > 0) check_penalizer(PG_GETARG_FLOAT8(penalizer_arg));
    return Datum(0);
  });
  return add_row(fcinfo, context, model, key, 1, penalizer_arg);
}

// (state, frequency, recency, t [, penalizer]) for BG/NBD, MBG/NBD and Pareto/NBD.
Datum continuous_accum(FunctionCallInfo fcinfo, FitModel model, const char* what) {
  MemoryContext context = aggregate_context(fcinfo, what);
  const int last = PG_NARGS() - 1;
  if (any_null(fcinfo, 1, last)) return skip_row(fcinfo);
  const double key[3] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)};
  return add_continuous_row(fcinfo, context, model, key, last >= 4 ? 4 : 0);
}

// A double field of a composite by name; false when it is NULL.
bool summary_field(HeapTupleHeader summary, const char* name, bool is_integer, double* value) {
  bool isnull;
  const Datum d = GetAttributeByName(summary, name, &isnull);
  if (!isnull) *value = is_integer ? DatumGetInt32(d) : DatumGetFloat8(d);
  return !isnull;
}

// (state, customer_summary_result) for BG/NBD, MBG/NBD and Pareto/NBD: the composite's frequency, recency and
// t. Skipped: customers without calibration data (NULL fields: every order after as_of) and customers whose
// first purchase is on the as_of day (t = 0: nothing observed yet).
Datum summary_accum(FunctionCallInfo fcinfo, FitModel model, const char* what) {
  MemoryContext context = aggregate_context(fcinfo, what);
  if (PG_ARGISNULL(1)) return skip_row(fcinfo);
  HeapTupleHeader summary = PG_GETARG_HEAPTUPLEHEADER(1);
  double key[3];
  if (!summary_field(summary, "frequency", true, &key[0]) ||
      !summary_field(summary, "recency", false, &key[1]) || !summary_field(summary, "t", false, &key[2]) ||
      key[2] == 0)
    return skip_row(fcinfo);
  return add_continuous_row(fcinfo, context, model, key, 0);
}

// (state, frequency, recency, n_periods [, count [, penalizer]]) for BG/BB. A count of 0 adds nobody.
Datum bgbb_accum(FunctionCallInfo fcinfo) {
  MemoryContext context = aggregate_context(fcinfo, "bgbb_fit");
  const int last = PG_NARGS() - 1;
  if (any_null(fcinfo, 1, last)) return skip_row(fcinfo);
  const double key[3] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)};
  const double count = last >= 4 ? PG_GETARG_FLOAT8(4) : 1;
  const int penalizer_arg = last >= 5 ? 5 : 0;
  loyalty::pg::cpp_boundary([&] {
    if (!(std::isfinite(count) && count >= 0 && count == std::floor(count)))
      throw std::invalid_argument("count must be a non-negative whole number (got " +
                                  loyalty::number_text(count) + ")");
    loyalty::BgBbRow row;
    row.frequency = key[0];
    row.recency = key[1];
    row.periods = key[2];
    loyalty::validate_bgbb_row(row);
    if (penalizer_arg > 0) check_penalizer(PG_GETARG_FLOAT8(penalizer_arg));
    return Datum(0);
  });
  if (count == 0) return skip_row(fcinfo);
  return add_row(fcinfo, context, FitModel::bgbb, key, count, penalizer_arg);
}

// Validates (frequency, monetary) and the penalizer argument, if any, then adds the customer; customers
// without repeat purchases (frequency = 0) are skipped: the model describes the spend of repeat buyers.
Datum add_spend_row(FunctionCallInfo fcinfo, MemoryContext context, const double key[3], int penalizer_arg) {
  bool repeat_buyer = false;
  loyalty::pg::cpp_boundary([&] {
    const double x = key[0];
    if (!(std::isfinite(x) && x >= 0 && x == std::floor(x)))
      throw std::invalid_argument("frequency must be a non-negative integer (frequency " +
                                  loyalty::number_text(x) + ", monetary " + loyalty::number_text(key[1]) +
                                  ")");
    repeat_buyer = x > 0;
    if (repeat_buyer) {
      loyalty::SpendRow row;
      row.frequency = x;
      row.monetary = key[1];
      loyalty::validate_spend_row(row);
    }
    if (penalizer_arg > 0) check_penalizer(PG_GETARG_FLOAT8(penalizer_arg));
    return Datum(0);
  });
  if (!repeat_buyer) return skip_row(fcinfo);
  return add_row(fcinfo, context, FitModel::gamma_gamma, key, 1, penalizer_arg);
}

// (state, frequency, monetary [, penalizer]) for Gamma-Gamma.
Datum gamma_gamma_accum(FunctionCallInfo fcinfo) {
  MemoryContext context = aggregate_context(fcinfo, "gamma_gamma_fit");
  const int last = PG_NARGS() - 1;
  if (any_null(fcinfo, 1, last)) return skip_row(fcinfo);
  const double key[3] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), 0};
  return add_spend_row(fcinfo, context, key, last >= 3 ? 3 : 0);
}

// (state, customer_summary_result) for Gamma-Gamma: the composite's frequency and monetary.
Datum gamma_gamma_summary_accum(FunctionCallInfo fcinfo) {
  MemoryContext context = aggregate_context(fcinfo, "gamma_gamma_fit");
  if (PG_ARGISNULL(1)) return skip_row(fcinfo);
  HeapTupleHeader summary = PG_GETARG_HEAPTUPLEHEADER(1);
  double key[3] = {0, 0, 0};
  if (!summary_field(summary, "frequency", true, &key[0]) ||
      !summary_field(summary, "monetary", false, &key[1]))
    return skip_row(fcinfo);
  return add_spend_row(fcinfo, context, key, 0);
}

// The meaning of every row of a table (a deserialised state is validated as the transition did).
void validate_rows(const FitRowTable* table) {
  for (uint64 i = 0; i < table->count; ++i) {
    const FitRowEntry& e = table->rows[i];
    switch (table->model) {
      case FitModel::bgnbd:
      case FitModel::mbgnbd:
      case FitModel::pareto_nbd: {
        loyalty::SummaryRow row;
        row.frequency = e.key[0];
        row.recency = e.key[1];
        row.t = e.key[2];
        row.weight = e.weight;
        loyalty::validate_summary_row(row);
        break;
      }
      case FitModel::bgbb: {
        loyalty::BgBbRow row;
        row.frequency = e.key[0];
        row.recency = e.key[1];
        row.periods = e.key[2];
        row.weight = e.weight;
        loyalty::validate_bgbb_row(row);
        break;
      }
      case FitModel::gamma_gamma: {
        loyalty::SpendRow row;
        row.frequency = e.key[0];
        row.monetary = e.key[1];
        row.weight = e.weight;
        loyalty::validate_spend_row(row);
        if (e.key[2] != 0) throw std::invalid_argument("invalid model fit state: gamma_gamma_fit row");
        break;
      }
    }
  }
  if (table->has_penalizer) check_penalizer(table->penalizer);
}

// ---- fit aggregates: final
// ---------------------------------------------------------------------------------

struct FitOutcome {
  double params[loyalty::pg::kMaxModelParameters];
  int count;
  loyalty::pg::ModelDiagnostics diagnostics;
};

void keep_report(const loyalty::FitReport& report, FitOutcome* out) {
  out->diagnostics.log_likelihood = report.log_likelihood;
  out->diagnostics.customers = static_cast<int64>(std::llround(report.customers));
  out->diagnostics.converged = report.converged;
  out->diagnostics.iterations = report.iterations;
}

// The table's rows in index order.
std::vector<loyalty::SummaryRow> summary_rows(const FitRowTable* table) {
  std::vector<loyalty::SummaryRow> rows;
  rows.reserve(table->count);
  for (uint64 i = 0; i < table->capacity; ++i) {
    const FitRowEntry* e = loyalty::pg::fit_rows_row_at(table, i);
    if (e == nullptr) continue;
    loyalty::SummaryRow row;
    row.frequency = e->key[0];
    row.recency = e->key[1];
    row.t = e->key[2];
    row.weight = e->weight;
    rows.push_back(row);
  }
  return rows;
}

// Runs the model's fit on the table's rows (slot order: the same for every plan, see model_fit_state.hpp).
void run_fit(const FitRowTable* table, FitOutcome* out) {
  loyalty::FitOptions options;
  options.penalizer = table->has_penalizer ? table->penalizer : 0;
  options.check_interrupt = loyalty::pg::check_for_interrupts;
  switch (table->model) {
    case FitModel::bgnbd: {
      const loyalty::BgNbdFit fit = loyalty::bgnbd_fit(summary_rows(table), options);
      const double p[4] = {fit.params.r, fit.params.alpha, fit.params.a, fit.params.b};
      std::memcpy(out->params, p, sizeof p);
      out->count = 4;
      keep_report(fit.report, out);
      return;
    }
    case FitModel::mbgnbd: {
      const loyalty::MbgNbdFit fit = loyalty::mbgnbd_fit(summary_rows(table), options);
      const double p[4] = {fit.params.r, fit.params.alpha, fit.params.a, fit.params.b};
      std::memcpy(out->params, p, sizeof p);
      out->count = 4;
      keep_report(fit.report, out);
      return;
    }
    case FitModel::pareto_nbd: {
      const loyalty::ParetoNbdFit fit = loyalty::pareto_nbd_fit(summary_rows(table), options);
      const double p[4] = {fit.params.r, fit.params.alpha, fit.params.s, fit.params.beta};
      std::memcpy(out->params, p, sizeof p);
      out->count = 4;
      keep_report(fit.report, out);
      return;
    }
    case FitModel::bgbb: {
      std::vector<loyalty::BgBbRow> rows;
      rows.reserve(table->count);
      for (uint64 i = 0; i < table->capacity; ++i) {
        const FitRowEntry* e = loyalty::pg::fit_rows_row_at(table, i);
        if (e == nullptr) continue;
        loyalty::BgBbRow row;
        row.frequency = e->key[0];
        row.recency = e->key[1];
        row.periods = e->key[2];
        row.weight = e->weight;
        rows.push_back(row);
      }
      const loyalty::BgBbFit fit = loyalty::bgbb_fit(rows, options);
      const double p[4] = {fit.params.alpha, fit.params.beta, fit.params.gamma, fit.params.delta};
      std::memcpy(out->params, p, sizeof p);
      out->count = 4;
      keep_report(fit.report, out);
      return;
    }
    case FitModel::gamma_gamma: {
      std::vector<loyalty::SpendRow> rows;
      rows.reserve(table->count);
      for (uint64 i = 0; i < table->capacity; ++i) {
        const FitRowEntry* e = loyalty::pg::fit_rows_row_at(table, i);
        if (e == nullptr) continue;
        loyalty::SpendRow row;
        row.frequency = e->key[0];
        row.monetary = e->key[1];
        row.weight = e->weight;
        rows.push_back(row);
      }
      const loyalty::GammaGammaFit fit = loyalty::gamma_gamma_fit(rows, options);
      const double p[3] = {fit.params.p, fit.params.q, fit.params.v};
      std::memcpy(out->params, p, sizeof p);
      out->count = 3;
      keep_report(fit.report, out);
      return;
    }
  }
}

Datum fit_final(FunctionCallInfo fcinfo, FitModel model, const char* what) {
  aggregate_context(fcinfo, what);
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  const FitRowTable* table = (const FitRowTable*)PG_GETARG_POINTER(0);
  if (table->model != model)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid %s state: another model's rows", what)));
  FitOutcome outcome;
  loyalty::pg::cpp_boundary([&] {
    run_fit(table, &outcome);
    return Datum(0);
  });
  return loyalty::pg::model_composite_make(fcinfo, outcome.params, outcome.count, outcome.diagnostics);
}

// ---- log-likelihood aggregates
// -----------------------------------------------------------------------------

constexpr int kLikelihoodCounters = 2;  // model code, customers

int likelihood_parameter_count(double model_code) {
  if (model_code == static_cast<double>(FitModel::gamma_gamma)) return 3;
  if (model_code == static_cast<double>(FitModel::bgnbd) ||
      model_code == static_cast<double>(FitModel::mbgnbd) ||
      model_code == static_cast<double>(FitModel::pareto_nbd) ||
      model_code == static_cast<double>(FitModel::bgbb))
    return 4;
  return 0;
}

// The SQL type of the model argument, for messages.
const char* model_type_name(FitModel model) {
  switch (model) {
    case FitModel::bgnbd:
      return "bgnbd_model";
    case FitModel::mbgnbd:
      return "mbgnbd_model";
    case FitModel::pareto_nbd:
      return "pareto_nbd_model";
    case FitModel::bgbb:
      return "bgbb_model";
    case FitModel::gamma_gamma:
      return "gamma_gamma_model";
  }
  return "model";
}

int likelihood_state_length(int parameters) {
  return 3 + 2 * parameters;
}

// The model argument's parameters, cached per call site on the bytes of the composite (it is usually one
// constant for the whole aggregate).
struct ModelCache {
  Size length;
  double params[loyalty::pg::kMaxModelParameters];
  char bytes[FLEXIBLE_ARRAY_MEMBER];
};

const double* model_argument(FunctionCallInfo fcinfo, int argno, int count, const char* what) {
  HeapTupleHeader model = PG_GETARG_HEAPTUPLEHEADER(argno);
  const Size length = HeapTupleHeaderGetDatumLength(model);
  ModelCache* cache = static_cast<ModelCache*>(fcinfo->flinfo->fn_extra);
  if (cache != nullptr && cache->length == length && std::memcmp(cache->bytes, model, length) == 0)
    return cache->params;
  double params[loyalty::pg::kMaxModelParameters];
  loyalty::pg::model_composite_parameters(model, params, count, what);
  if (cache == nullptr || cache->length < length) {
    if (cache != nullptr) pfree(cache);
    cache = static_cast<ModelCache*>(
        MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, offsetof(ModelCache, bytes) + length));
    fcinfo->flinfo->fn_extra = cache;
  }
  cache->length = length;
  std::memcpy(cache->bytes, model, length);
  std::memcpy(cache->params, params, sizeof params);
  return cache->params;
}

// Everything but the shape (checked by counter_array_*): the model code, finite sums, parameters NaN or
// positive. Runs inside cpp_boundary.
void validate_likelihood_state(const double* s, int parameters, double model_code, const char* what) {
  if (s[0] != model_code)
    throw std::invalid_argument(std::string("invalid ") + what + " state: another model");
  for (int i = 2; i < 3 + parameters; ++i)
    if (!std::isfinite(s[i]))
      throw std::invalid_argument(std::string("invalid ") + what + " state: non-finite sum");
  for (int i = 3 + parameters; i < 3 + 2 * parameters; ++i)
    if (!(std::isnan(s[i]) || (std::isfinite(s[i]) && s[i] > 0)))
      throw std::invalid_argument(std::string("invalid ") + what + " state: parameters must be positive");
}

// Adds one row's log-likelihood and gradient, computed by `evaluate(params, gradient)`, to the state.
template <typename Evaluate>
Datum likelihood_step(FunctionCallInfo fcinfo, FitModel model, int model_argno, double weight,
                      const char* what, Evaluate&& evaluate) {
  const int k = likelihood_parameter_count(static_cast<double>(model));
  ArrayType* array;
  double* s = loyalty::pg::counter_array_transition_arg(fcinfo, likelihood_state_length(k),
                                                        kLikelihoodCounters, what, &array);
  const double* params = model_argument(fcinfo, model_argno, k, model_type_name(model));
  const bool direct = !AggCheckCallContext(fcinfo, nullptr);
  return loyalty::pg::cpp_boundary([&] {
    if (direct) validate_likelihood_state(s, k, static_cast<double>(model), what);
    if (s[0] != static_cast<double>(model))
      throw std::invalid_argument(std::string("invalid ") + what + " state");
    for (int i = 0; i < k; ++i) loyalty::counter_state_set_parameter(&s[3 + k + i], params[i], "model");
    if (weight > 0) {
      double gradient[loyalty::pg::kMaxModelParameters];
      const double ll = evaluate(params, gradient);
      s[1] += weight;
      s[2] += ll;
      for (int i = 0; i < k; ++i) s[3 + i] += gradient[i];
    }
    return PointerGetDatum(array);
  });
}

// One-row inputs for the core's total likelihoods, reused from row to row (static: no destructor runs in a
// frame PostgreSQL may unwind).
std::vector<loyalty::SummaryRow>& one_summary_row(double x, double t_x, double T) {
  static std::vector<loyalty::SummaryRow> rows(1);
  rows[0].frequency = x;
  rows[0].recency = t_x;
  rows[0].t = T;
  rows[0].weight = 1;
  return rows;
}

// (state, frequency, recency, t, model) for BG/NBD, MBG/NBD and Pareto/NBD.
Datum continuous_likelihood_accum(FunctionCallInfo fcinfo, FitModel model, const char* what) {
  const double x = PG_GETARG_FLOAT8(1), t_x = PG_GETARG_FLOAT8(2), T = PG_GETARG_FLOAT8(3);
  return likelihood_step(fcinfo, model, 4, 1, what, [&](const double* p, double* gradient) {
    const auto& rows = one_summary_row(x, t_x, T);
    if (model == FitModel::pareto_nbd) {
      const std::array<double, 4> g =
          loyalty::pareto_nbd_log_likelihood_gradient({p[0], p[1], p[2], p[3]}, rows);
      for (int i = 0; i < 4; ++i) gradient[i] = g[i];
      return loyalty::pareto_nbd_log_likelihood({p[0], p[1], p[2], p[3]}, rows);
    }
    if (model == FitModel::bgnbd)
      return loyalty::bgnbd_log_likelihood_gradient({p[0], p[1], p[2], p[3]}, rows, gradient);
    return loyalty::mbgnbd_log_likelihood_gradient({p[0], p[1], p[2], p[3]}, rows, gradient);
  });
}

Datum bgbb_likelihood_accum(FunctionCallInfo fcinfo, bool with_count) {
  const double x = PG_GETARG_FLOAT8(1), t_x = PG_GETARG_FLOAT8(2), n = PG_GETARG_FLOAT8(3);
  const double count = with_count ? PG_GETARG_FLOAT8(4) : 1;
  const char* what = "bgbb_log_likelihood";
  if (!(std::isfinite(count) && count >= 0 && count == std::floor(count)))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("count must be a non-negative whole number (got %g)", count)));
  return likelihood_step(
      fcinfo, FitModel::bgbb, with_count ? 5 : 4, count, what, [&](const double* p, double* gradient) {
        static std::vector<loyalty::BgBbRow> rows(1);
        rows[0].frequency = x;
        rows[0].recency = t_x;
        rows[0].periods = n;
        rows[0].weight = count;
        const loyalty::BgBbParams params{p[0], p[1], p[2], p[3]};
        const double ll = loyalty::bgbb_log_likelihood(params, rows);
        const std::array<double, 4> g = loyalty::bgbb_log_likelihood_gradient(params, rows);
        for (int i = 0; i < 4; ++i) gradient[i] = g[i];
        return ll;
      });
}

Datum gamma_gamma_likelihood_accum(FunctionCallInfo fcinfo) {
  const double x = PG_GETARG_FLOAT8(1), m = PG_GETARG_FLOAT8(2);
  const char* what = "gamma_gamma_log_likelihood";
  if (!(std::isfinite(x) && x >= 0 && x == std::floor(x)))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("frequency must be a non-negative integer (frequency %g, monetary %g)", x, m)));
  return likelihood_step(
      fcinfo, FitModel::gamma_gamma, 3, x > 0 ? 1 : 0, what, [&](const double* p, double* gradient) {
        static std::vector<loyalty::SpendRow> rows(1);
        rows[0].frequency = x;
        rows[0].monetary = m;
        rows[0].weight = 1;
        const loyalty::GammaGammaParams params{p[0], p[1], p[2]};
        const double ll = loyalty::gamma_gamma_log_likelihood(params, rows);
        const std::array<double, 3> g = loyalty::gamma_gamma_log_likelihood_gradient(params, rows);
        for (int i = 0; i < 3; ++i) gradient[i] = g[i];
        return ll;
      });
}

// The model code of a likelihood state argument, read before its length is known (the shape is checked
// after).
double likelihood_model_code(FunctionCallInfo fcinfo, int argno) {
  ArrayType* array = PG_GETARG_ARRAYTYPE_P(argno);
  if (ARR_NDIM(array) != 1 || ARR_DIMS(array)[0] < 1 || ARR_HASNULL(array) ||
      ARR_ELEMTYPE(array) != FLOAT8OID ||
      likelihood_parameter_count(reinterpret_cast<double*>(ARR_DATA_PTR(array))[0]) == 0)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("invalid log-likelihood state: expected a float8 array starting with a model code")));
  return reinterpret_cast<double*>(ARR_DATA_PTR(array))[0];
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_bgnbd_fit_accum);
Datum loyalty_bgnbd_fit_accum(PG_FUNCTION_ARGS) {
  return continuous_accum(fcinfo, FitModel::bgnbd, "bgnbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_mbgnbd_fit_accum);
Datum loyalty_mbgnbd_fit_accum(PG_FUNCTION_ARGS) {
  return continuous_accum(fcinfo, FitModel::mbgnbd, "mbgnbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_pareto_nbd_fit_accum);
Datum loyalty_pareto_nbd_fit_accum(PG_FUNCTION_ARGS) {
  return continuous_accum(fcinfo, FitModel::pareto_nbd, "pareto_nbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_bgnbd_summary_fit_accum);
Datum loyalty_bgnbd_summary_fit_accum(PG_FUNCTION_ARGS) {
  return summary_accum(fcinfo, FitModel::bgnbd, "bgnbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_mbgnbd_summary_fit_accum);
Datum loyalty_mbgnbd_summary_fit_accum(PG_FUNCTION_ARGS) {
  return summary_accum(fcinfo, FitModel::mbgnbd, "mbgnbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_pareto_nbd_summary_fit_accum);
Datum loyalty_pareto_nbd_summary_fit_accum(PG_FUNCTION_ARGS) {
  return summary_accum(fcinfo, FitModel::pareto_nbd, "pareto_nbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_gamma_gamma_summary_fit_accum);
Datum loyalty_gamma_gamma_summary_fit_accum(PG_FUNCTION_ARGS) {
  return gamma_gamma_summary_accum(fcinfo);
}

PG_FUNCTION_INFO_V1(loyalty_bgbb_fit_accum);
Datum loyalty_bgbb_fit_accum(PG_FUNCTION_ARGS) {
  return bgbb_accum(fcinfo);
}

PG_FUNCTION_INFO_V1(loyalty_gamma_gamma_fit_accum);
Datum loyalty_gamma_gamma_fit_accum(PG_FUNCTION_ARGS) {
  return gamma_gamma_accum(fcinfo);
}

// model_fit_combine(internal, internal): merges partial tables; copies the second into the aggregate's memory
// when the first is NULL (the second may live in a short-lived context).
PG_FUNCTION_INFO_V1(loyalty_model_fit_combine);
Datum loyalty_model_fit_combine(PG_FUNCTION_ARGS) {
  MemoryContext context = aggregate_context(fcinfo, "model_fit_combine");
  FitRowTable* into = PG_ARGISNULL(0) ? nullptr : (FitRowTable*)PG_GETARG_POINTER(0);
  const FitRowTable* from = PG_ARGISNULL(1) ? nullptr : (const FitRowTable*)PG_GETARG_POINTER(1);
  if (from == nullptr) {
    if (into == nullptr) PG_RETURN_NULL();
    PG_RETURN_POINTER(into);
  }
  if (into == nullptr) into = loyalty::pg::fit_rows_create(context, from->model);
  loyalty::pg::fit_rows_merge(into, from);
  PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(loyalty_model_fit_serialize);
Datum loyalty_model_fit_serialize(PG_FUNCTION_ARGS) {
  aggregate_context(fcinfo, "model_fit_serialize");
  PG_RETURN_BYTEA_P(loyalty::pg::fit_rows_serialize((const FitRowTable*)PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(loyalty_model_fit_deserialize);
Datum loyalty_model_fit_deserialize(PG_FUNCTION_ARGS) {
  aggregate_context(fcinfo, "model_fit_deserialize");
  FitRowTable* table = loyalty::pg::fit_rows_deserialize(PG_GETARG_BYTEA_PP(0), CurrentMemoryContext);
  loyalty::pg::cpp_boundary([&] {
    validate_rows(table);
    return Datum(0);
  });
  PG_RETURN_POINTER(table);
}

PG_FUNCTION_INFO_V1(loyalty_bgnbd_fit_final);
Datum loyalty_bgnbd_fit_final(PG_FUNCTION_ARGS) {
  return fit_final(fcinfo, FitModel::bgnbd, "bgnbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_mbgnbd_fit_final);
Datum loyalty_mbgnbd_fit_final(PG_FUNCTION_ARGS) {
  return fit_final(fcinfo, FitModel::mbgnbd, "mbgnbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_pareto_nbd_fit_final);
Datum loyalty_pareto_nbd_fit_final(PG_FUNCTION_ARGS) {
  return fit_final(fcinfo, FitModel::pareto_nbd, "pareto_nbd_fit");
}

PG_FUNCTION_INFO_V1(loyalty_bgbb_fit_final);
Datum loyalty_bgbb_fit_final(PG_FUNCTION_ARGS) {
  return fit_final(fcinfo, FitModel::bgbb, "bgbb_fit");
}

PG_FUNCTION_INFO_V1(loyalty_gamma_gamma_fit_final);
Datum loyalty_gamma_gamma_fit_final(PG_FUNCTION_ARGS) {
  return fit_final(fcinfo, FitModel::gamma_gamma, "gamma_gamma_fit");
}

PG_FUNCTION_INFO_V1(loyalty_bgnbd_likelihood_accum);
Datum loyalty_bgnbd_likelihood_accum(PG_FUNCTION_ARGS) {
  return continuous_likelihood_accum(fcinfo, FitModel::bgnbd, "bgnbd_log_likelihood");
}

PG_FUNCTION_INFO_V1(loyalty_mbgnbd_likelihood_accum);
Datum loyalty_mbgnbd_likelihood_accum(PG_FUNCTION_ARGS) {
  return continuous_likelihood_accum(fcinfo, FitModel::mbgnbd, "mbgnbd_log_likelihood");
}

PG_FUNCTION_INFO_V1(loyalty_pareto_nbd_likelihood_accum);
Datum loyalty_pareto_nbd_likelihood_accum(PG_FUNCTION_ARGS) {
  return continuous_likelihood_accum(fcinfo, FitModel::pareto_nbd, "pareto_nbd_log_likelihood");
}

PG_FUNCTION_INFO_V1(loyalty_bgbb_likelihood_accum);
Datum loyalty_bgbb_likelihood_accum(PG_FUNCTION_ARGS) {
  return bgbb_likelihood_accum(fcinfo, false);
}

PG_FUNCTION_INFO_V1(loyalty_bgbb_count_likelihood_accum);
Datum loyalty_bgbb_count_likelihood_accum(PG_FUNCTION_ARGS) {
  return bgbb_likelihood_accum(fcinfo, true);
}

PG_FUNCTION_INFO_V1(loyalty_gamma_gamma_likelihood_accum);
Datum loyalty_gamma_gamma_likelihood_accum(PG_FUNCTION_ARGS) {
  return gamma_gamma_likelihood_accum(fcinfo);
}

// model_likelihood_combine(float8[], float8[]): sums, and checks that both halves used the same model and
// parameters.
PG_FUNCTION_INFO_V1(loyalty_model_likelihood_combine);
Datum loyalty_model_likelihood_combine(PG_FUNCTION_ARGS) {
  const char* what = "log-likelihood";
  const double code = likelihood_model_code(fcinfo, 0);
  const int k = likelihood_parameter_count(code);
  const int length = likelihood_state_length(k);
  ArrayType* array;
  double* into = loyalty::pg::counter_array_arg(fcinfo, 0, length, kLikelihoodCounters, what, &array);
  const double* from = loyalty::pg::counter_array_arg(fcinfo, 1, length, kLikelihoodCounters, what, nullptr);
  return loyalty::pg::cpp_boundary([&] {
    validate_likelihood_state(into, k, code, what);
    validate_likelihood_state(from, k, code, what);
    for (int i = 1; i < 3 + k; ++i) into[i] += from[i];
    for (int i = 3 + k; i < 3 + 2 * k; ++i)
      if (!std::isnan(from[i])) loyalty::counter_state_set_parameter(&into[i], from[i], "model");
    return PointerGetDatum(array);
  });
}

// model_likelihood_final(float8[]) -> model_likelihood (log_likelihood, gradient, customers); NULL for no
// rows.
PG_FUNCTION_INFO_V1(loyalty_model_likelihood_final);
Datum loyalty_model_likelihood_final(PG_FUNCTION_ARGS) {
  const char* what = "log-likelihood";
  const double code = likelihood_model_code(fcinfo, 0);
  const int k = likelihood_parameter_count(code);
  const double* s = loyalty::pg::counter_array_arg(fcinfo, 0, likelihood_state_length(k), kLikelihoodCounters,
                                                   what, nullptr);
  loyalty::pg::cpp_boundary([&] {
    validate_likelihood_state(s, k, code, what);
    return Datum(0);
  });
  if (s[1] == 0) PG_RETURN_NULL();
  TupleDesc tupdesc;
  if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != 3)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("model_likelihood_final must return model_likelihood")));
  tupdesc = BlessTupleDesc(tupdesc);
  Datum values[3] = {Float8GetDatum(s[2]), PointerGetDatum(loyalty::pg::counter_array_make(&s[3], k)),
                     Int64GetDatum(static_cast<int64>(s[1]))};
  bool nulls[3] = {false, false, false};
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

}  // extern "C"
