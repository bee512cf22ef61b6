// SQL binding of the model fits and of the distributed log-likelihood aggregates, for every model of the
// dispatch table (model_dispatch.hpp).
//
// Fits (bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit): the state is `internal`, a table
// of distinct rows with their customer counts (model_fit_state.hpp), serialised to bytea between parallel
// workers. The transition functions validate each row with the model's own check (22023 naming the values),
// skip rows with a NULL argument, and leave the state NULL until a row counts, so that no rows give NULL. The
// final function hands the rows, in the table's canonical order, to the core's one fit driver
// (penalized_fit.hpp), which polls check_for_interrupts, so a cancel or statement_timeout stops it. It never
// modifies the state (window use).
//
// Log-likelihood aggregates (bgnbd_log_likelihood, ...): a fixed-size float8[] state
//   [model code, customers, log_likelihood, gradient_1..gradient_k, parameter_1..parameter_k]
// that sums each row's log-likelihood and gradient (the description's row_log_likelihood, one pass) at given
// parameters, so that one optimiser iteration of an external driver runs as a partial aggregate anywhere.
// Parameters are NaN until the first row sets them.
//
// Every entry point is a LOYALTY_SQL_FUNCTION: the per-row paths call no PostgreSQL code that can raise
// except detoasting a composite argument, which runs in postgres_guard.
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "counter_state.hpp"
#include "number_text.hpp"
#include "penalized_fit.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"
#include "model_cache.hpp"
#include "model_composite.hpp"
#include "model_dispatch.hpp"
#include "model_fit_state.hpp"

namespace {

using loyalty::check_penalizer;
using loyalty::ModelRow;
using loyalty::pg::bound_model;
using loyalty::pg::BoundModel;
using loyalty::pg::FitModel;
using loyalty::pg::FitRowEntry;
using loyalty::pg::FitRowTable;
using loyalty::pg::postgres_guard;

// ---- fit aggregates: transition --------------------------------------------------------------------------

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* what) {
  MemoryContext context;
  if (!AggCheckCallContext(fcinfo, &context))
    throw loyalty::pg::SqlStateError(ERRCODE_FEATURE_NOT_SUPPORTED,
                                     std::string(what) + " called in non-aggregate context");
  return context;
}

bool any_null(FunctionCallInfo fcinfo, int first, int last) {
  for (int i = first; i <= last; ++i)
    if (PG_ARGISNULL(i)) return true;
  return false;
}

// Customers are counted exactly up to 2^53 (every whole number up to it is a double, and the bigint
// `customers` of the results holds it): a larger count, or total, is 22003.
constexpr double kMaxCustomers = 9007199254740992.0;

void check_count(double count) {
  if (!(std::isfinite(count) && count >= 0 && count == std::floor(count)))
    throw std::invalid_argument("count must be a non-negative whole number (got " +
                                loyalty::number_text(count) + ")");
  if (count > kMaxCustomers)
    throw std::out_of_range("count must be at most 2^53 = 9007199254740992 (got " +
                            loyalty::number_text(count) + ")");
}

// The state unchanged (NULL while no row has counted).
Datum skip_row(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  PG_RETURN_POINTER(PG_GETARG_POINTER(0));
}

// Spend rows: customers without repeat purchases (frequency = 0) are skipped, the model describes the spend
// of repeat buyers; a frequency that is not a non-negative integer is an error naming the row.
bool is_repeat_buyer(const double key[3]) {
  const double x = key[0];
  if (!(std::isfinite(x) && x >= 0 && x == std::floor(x)))
    throw std::invalid_argument("frequency must be a non-negative integer (frequency " +
                                loyalty::number_text(x) + ", monetary " + loyalty::number_text(key[1]) + ")");
  return x > 0;
}

// Validates one customer row (and the penalizer argument, if any), then adds `weight` customers to the state,
// creating it on the first row.
Datum add_row(FunctionCallInfo fcinfo, const BoundModel& bound, const double key[3], double weight,
              int penalizer_arg) {
  MemoryContext context = aggregate_context(fcinfo, bound.fit_name);
  if (bound.model->row_kind == loyalty::RowKind::spend && !is_repeat_buyer(key)) {
    if (penalizer_arg > 0) check_penalizer(PG_GETARG_FLOAT8(penalizer_arg));
    return skip_row(fcinfo);
  }
  bound.model->validate_row(ModelRow{{key[0], key[1], key[2]}, 1});
  if (penalizer_arg > 0) check_penalizer(PG_GETARG_FLOAT8(penalizer_arg));
  if (weight == 0) return skip_row(fcinfo);
  FitRowTable* table = PG_ARGISNULL(0)
                           ? loyalty::pg::fit_rows_create(context, static_cast<FitModel>(bound.state_code))
                           : (FitRowTable*)PG_GETARG_POINTER(0);
  if (penalizer_arg > 0) loyalty::pg::fit_rows_set_penalizer(table, PG_GETARG_FLOAT8(penalizer_arg));
  loyalty::pg::fit_rows_add(table, key, weight);
  PG_RETURN_POINTER(table);
}

// (state, frequency, recency, t [, penalizer]) for the continuous-time models; (state, frequency, recency,
// n_periods [, count [, penalizer]]) for BG/BB; (state, frequency, monetary [, penalizer]) for Gamma-Gamma.
Datum columns_accum(FunctionCallInfo fcinfo, const BoundModel& bound) {
  aggregate_context(fcinfo, bound.fit_name);
  const int last = PG_NARGS() - 1;
  if (any_null(fcinfo, 1, last)) return skip_row(fcinfo);
  const bool spend = bound.model->row_kind == loyalty::RowKind::spend;
  const bool counted = bound.model->row_kind == loyalty::RowKind::discrete;
  const int fields = spend ? 2 : 3;
  const double key[3] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), spend ? 0.0 : PG_GETARG_FLOAT8(3)};
  const double count = counted && last > fields ? PG_GETARG_FLOAT8(fields + 1) : 1;
  if (counted) check_count(count);
  const int penalizer_arg = last > fields + (counted ? 1 : 0) ? last : 0;
  return add_row(fcinfo, bound, key, count, penalizer_arg);
}

// (state, customer_summary_result): the composite's frequency, recency and t (monetary for Gamma-Gamma).
// Skipped: customers without calibration data (NULL fields: every order after as_of) and, for the
// transaction models, customers whose first purchase is on the as_of day (t = 0: nothing observed yet).
Datum summary_accum(FunctionCallInfo fcinfo, const BoundModel& bound) {
  aggregate_context(fcinfo, bound.fit_name);
  if (PG_ARGISNULL(1)) return skip_row(fcinfo);
  const bool spend = bound.model->row_kind == loyalty::RowKind::spend;
  double key[3] = {0, 0, 0};
  // Detoasting and attribute lookups may raise: guarded (a plain lambda, nothing to destroy).
  const bool complete = postgres_guard([&] {
    HeapTupleHeader summary = PG_GETARG_HEAPTUPLEHEADER(1);
    const char* names[3] = {"frequency", spend ? "monetary" : "recency", "t"};
    for (int i = 0; i < (spend ? 2 : 3); ++i) {
      bool isnull;
      const Datum d = GetAttributeByName(summary, names[i], &isnull);
      if (isnull) return false;
      key[i] = i == 0 ? DatumGetInt32(d) : DatumGetFloat8(d);
    }
    return true;
  });
  if (!complete || (!spend && key[2] == 0)) return skip_row(fcinfo);
  return add_row(fcinfo, bound, key, 1, 0);
}

// Every row of a table read from bytes means what the transition checked.
void validate_rows(const FitRowTable* table) {
  const BoundModel* bound = loyalty::pg::bound_model_of_state(static_cast<double>(table->model));
  if (bound == nullptr) throw std::invalid_argument("invalid model fit state: unknown model");
  for (uint64 i = 0; i < table->count; ++i) {
    if ((i & 0xFFFF) == 0xFFFF) loyalty::pg::check_for_interrupts();
    const FitRowEntry& e = table->rows[i];
    bound->model->validate_row(ModelRow{{e.key[0], e.key[1], e.key[2]}, e.weight});
    if (bound->model->row_kind == loyalty::RowKind::spend && e.key[2] != 0)
      throw std::invalid_argument("invalid model fit state: gamma_gamma_fit row");
  }
  if (table->has_penalizer) check_penalizer(table->penalizer);
}

// ---- fit aggregates: final -------------------------------------------------------------------------------

Datum fit_final(FunctionCallInfo fcinfo, const BoundModel& bound) {
  aggregate_context(fcinfo, bound.fit_name);
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  const FitRowTable* table = (const FitRowTable*)PG_GETARG_POINTER(0);
  if (static_cast<uint32>(table->model) != bound.state_code)
    throw std::invalid_argument(std::string("invalid ") + bound.fit_name + " state: another model's rows");
  // The rows in index order: the same for every plan (model_fit_state.hpp), so the fit is bit-identical.
  std::vector<ModelRow> rows;
  rows.reserve(table->count);
  for (uint64 i = 0; i < table->capacity; ++i) {
    if ((i & 0xFFFF) == 0xFFFF) loyalty::pg::check_for_interrupts();  // a cancel within a millisecond
    const FitRowEntry* e = loyalty::pg::fit_rows_row_at(table, i);
    if (e != nullptr) rows.push_back(ModelRow{{e->key[0], e->key[1], e->key[2]}, e->weight});
  }
  loyalty::FitOptions options;
  options.penalizer = table->has_penalizer ? table->penalizer : 0;
  options.check_interrupt = loyalty::pg::check_for_interrupts;
  const loyalty::ModelFit fit = loyalty::fit_model(*bound.model, rows, options);
  return loyalty::pg::model_composite_of_fit(fcinfo, bound.model->parameter_count, fit.params, fit.report);
}

// ---- log-likelihood aggregates ---------------------------------------------------------------------------

constexpr int kLikelihoodCounters = 2;  // model code, customers

int likelihood_state_length(int parameters) {
  return 3 + 2 * parameters;
}

// Everything but the shape (checked by counter_array_*): the model code, finite sums, parameters NaN or
// positive.
void validate_likelihood_state(const double* s, int parameters, double model_code, const char* what) {
  if (s[0] != model_code)
    throw std::invalid_argument(std::string("invalid ") + what + " state: another model");
  if (!(s[1] >= 0 && s[1] <= kMaxCustomers && s[1] == std::floor(s[1])))
    throw std::invalid_argument(std::string("invalid ") + what +
                                " state: customers must be a whole number between 0 and 2^53");
  for (int i = 2; i < 3 + parameters; ++i)
    if (!std::isfinite(s[i]))
      throw std::invalid_argument(std::string("invalid ") + what + " state: non-finite sum");
  for (int i = 3 + parameters; i < 3 + 2 * parameters; ++i)
    if (!(std::isnan(s[i]) || (std::isfinite(s[i]) && s[i] > 0)))
      throw std::invalid_argument(std::string("invalid ") + what + " state: parameters must be positive");
}

// (state, frequency, recency, t | n_periods [, count], model) and (state, frequency, monetary, model): adds
// one row's log-likelihood and gradient at the model's parameters.
Datum likelihood_accum(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const loyalty::ModelDescription& model = *bound.model;
  const int k = model.parameter_count;
  const char* what = bound.likelihood_name;
  const bool spend = model.row_kind == loyalty::RowKind::spend;
  const int model_argno = PG_NARGS() - 1;
  const double key[3] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), spend ? 0.0 : PG_GETARG_FLOAT8(3)};
  double weight = model_argno > (spend ? 3 : 4) ? PG_GETARG_FLOAT8(4) : 1;
  if (model.row_kind == loyalty::RowKind::discrete) check_count(weight);
  if (spend && !is_repeat_buyer(key)) weight = 0;
  ArrayType* array;
  double* s = loyalty::pg::counter_array_transition_arg(fcinfo, likelihood_state_length(k),
                                                        kLikelihoodCounters, what, &array);
  const double* params = loyalty::pg::cached_model_parameters(fcinfo, 0, model_argno, model);
  if (!AggCheckCallContext(fcinfo, nullptr)) validate_likelihood_state(s, k, bound.state_code, what);
  if (s[0] != static_cast<double>(bound.state_code))
    throw std::invalid_argument(std::string("invalid ") + what + " state");
  for (int i = 0; i < k; ++i) loyalty::counter_state_set_parameter(&s[3 + k + i], params[i], "model");
  if (weight > 0) {
    const ModelRow row{{key[0], key[1], key[2]}, weight};
    model.validate_row(row);
    double gradient[loyalty::kMaxModelParameters];
    const double ll = model.row_log_likelihood(params, row, gradient);
    if (!(s[1] + weight <= kMaxCustomers))
      throw std::out_of_range(std::string(what) + ": more than 2^53 customers");
    s[1] += weight;
    s[2] += weight * ll;
    bool finite = std::isfinite(s[2]);
    for (int i = 0; i < k; ++i) {
      s[3 + i] += weight * gradient[i];
      finite = finite && std::isfinite(s[3 + i]);
    }
    // A row whose values overflow the likelihood or its gradient (e.g. t = 1e308): 22003 naming it.
    if (!finite)
      throw std::out_of_range(std::string(what) + ": the log-likelihood is out of range at the row (" +
                              loyalty::number_text(key[0]) + ", " + loyalty::number_text(key[1]) +
                              (spend ? std::string() : ", " + loyalty::number_text(key[2])) + ", count " +
                              loyalty::number_text(weight) + ")");
  }
  return PointerGetDatum(array);
}

// The model of a likelihood state argument, read before its length is known (the shape is checked after).
const BoundModel& likelihood_model(FunctionCallInfo fcinfo, int argno) {
  const BoundModel* bound = postgres_guard([&]() -> const BoundModel* {
    ArrayType* array = PG_GETARG_ARRAYTYPE_P(argno);
    if (ARR_NDIM(array) != 1 || ARR_DIMS(array)[0] < 1 || ARR_HASNULL(array) ||
        ARR_ELEMTYPE(array) != FLOAT8OID)
      return nullptr;
    return loyalty::pg::bound_model_of_state(reinterpret_cast<double*>(ARR_DATA_PTR(array))[0]);
  });
  if (bound == nullptr)
    throw std::invalid_argument(
        "invalid log-likelihood state: expected a float8 array starting with a model code");
  return *bound;
}

}  // namespace

// The entry points of the fit and likelihood aggregates (C symbols of src/sql/410_model_fits.sql), a model a
// line; bgbb_log_likelihood(frequency, recency, n_periods, count, model) is the same accumulation, weighted.
// clang-format off
LOYALTY_MODEL_ENTRY(bgnbd, fit_accum, columns_accum) LOYALTY_MODEL_ENTRY(bgnbd, summary_fit_accum, summary_accum) LOYALTY_MODEL_ENTRY(bgnbd, fit_final, fit_final) LOYALTY_MODEL_ENTRY(bgnbd, likelihood_accum, likelihood_accum)
LOYALTY_MODEL_ENTRY(mbgnbd, fit_accum, columns_accum) LOYALTY_MODEL_ENTRY(mbgnbd, summary_fit_accum, summary_accum) LOYALTY_MODEL_ENTRY(mbgnbd, fit_final, fit_final) LOYALTY_MODEL_ENTRY(mbgnbd, likelihood_accum, likelihood_accum)
LOYALTY_MODEL_ENTRY(pareto_nbd, fit_accum, columns_accum) LOYALTY_MODEL_ENTRY(pareto_nbd, summary_fit_accum, summary_accum) LOYALTY_MODEL_ENTRY(pareto_nbd, fit_final, fit_final) LOYALTY_MODEL_ENTRY(pareto_nbd, likelihood_accum, likelihood_accum)
LOYALTY_MODEL_ENTRY(bgbb, fit_accum, columns_accum) LOYALTY_MODEL_ENTRY(bgbb, fit_final, fit_final) LOYALTY_MODEL_ENTRY(bgbb, likelihood_accum, likelihood_accum) LOYALTY_MODEL_ENTRY(bgbb, count_likelihood_accum, likelihood_accum)
LOYALTY_MODEL_ENTRY(gamma_gamma, fit_accum, columns_accum) LOYALTY_MODEL_ENTRY(gamma_gamma, summary_fit_accum, summary_accum) LOYALTY_MODEL_ENTRY(gamma_gamma, fit_final, fit_final) LOYALTY_MODEL_ENTRY(gamma_gamma, likelihood_accum, likelihood_accum)
    // clang-format on

    // model_fit_combine(internal, internal): merges partial tables; copies the second into the aggregate's
    // memory when the first is NULL (the second may live in a short-lived context).
    LOYALTY_SQL_FUNCTION(loyalty_model_fit_combine) {
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

LOYALTY_SQL_FUNCTION(loyalty_model_fit_serialize) {
  aggregate_context(fcinfo, "model_fit_serialize");
  PG_RETURN_BYTEA_P(loyalty::pg::fit_rows_serialize((const FitRowTable*)PG_GETARG_POINTER(0)));
}

LOYALTY_SQL_FUNCTION(loyalty_model_fit_deserialize) {
  aggregate_context(fcinfo, "model_fit_deserialize");
  const bytea* bytes = postgres_guard([&] { return PG_GETARG_BYTEA_PP(0); });  // detoasting may raise
  FitRowTable* table = loyalty::pg::fit_rows_deserialize(bytes, CurrentMemoryContext);
  validate_rows(table);
  PG_RETURN_POINTER(table);
}

// model_likelihood_combine(float8[], float8[]): sums, and checks that both halves used the same model and
// parameters.
LOYALTY_SQL_FUNCTION(loyalty_model_likelihood_combine) {
  const char* what = "log-likelihood";
  const BoundModel& bound = likelihood_model(fcinfo, 0);
  const int k = bound.model->parameter_count;
  const int length = likelihood_state_length(k);
  ArrayType* array;
  double* into = loyalty::pg::counter_array_arg(fcinfo, 0, length, kLikelihoodCounters, what, &array);
  const double* from = loyalty::pg::counter_array_arg(fcinfo, 1, length, kLikelihoodCounters, what, nullptr);
  validate_likelihood_state(into, k, bound.state_code, what);
  validate_likelihood_state(from, k, bound.state_code, what);
  for (int i = 1; i < 3 + k; ++i) into[i] += from[i];
  for (int i = 3 + k; i < 3 + 2 * k; ++i)
    if (!std::isnan(from[i])) loyalty::counter_state_set_parameter(&into[i], from[i], "model");
  return PointerGetDatum(array);
}

// model_likelihood_final(float8[]) -> model_likelihood (log_likelihood, gradient, customers); NULL for no
// rows.
LOYALTY_SQL_FUNCTION(loyalty_model_likelihood_final) {
  const char* what = "log-likelihood";
  const BoundModel& bound = likelihood_model(fcinfo, 0);
  const int k = bound.model->parameter_count;
  const double* s = loyalty::pg::counter_array_arg(fcinfo, 0, likelihood_state_length(k), kLikelihoodCounters,
                                                   what, nullptr);
  validate_likelihood_state(s, k, bound.state_code, what);
  if (s[1] == 0) PG_RETURN_NULL();
  return postgres_guard([&]() -> Datum {
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != 3)
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                      errmsg("model_likelihood_final must return model_likelihood")));
    tupdesc = BlessTupleDesc(tupdesc);
    Datum values[3] = {Float8GetDatum(s[2]), PointerGetDatum(loyalty::pg::counter_array_make(&s[3], k)),
                       Int64GetDatum(static_cast<int64>(s[1]))};
    bool nulls[3] = {false, false, false};
    return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
  });
}
