// SQL binding of the distributed fits: bgnbd_fit_distributed(source, ...), mbgnbd_, pareto_nbd_, bgbb_ and
// gamma_gamma_fit_distributed (src/sql/411_distributed_fits.sql, docs/scale_out.md).
//
// The core's one fit driver (penalized_fit.hpp, fit_model_from) runs here, in the backend, over a likelihood
// that is one query per evaluation: the model's own *_log_likelihood aggregate over the source, with the
// trial parameters as a query parameter. Its state is a small float8[] with a combine function, so a
// distributed engine (Citus) runs it as partial aggregates on the nodes, and only that array moves; for a
// partitioned table the query is one aggregate per leaf partition (UNION ALL), which postgres_fdw pushes
// whole into each foreign partition (PostgreSQL 15 cannot push partial aggregates through postgres_fdw). The
// start is the in-memory fit of a sample of the source's first rows (sample_rows); that and the final
// evaluations are the only rows that move.
//
// Injection: the query text holds no text of the caller's. The source is a regclass (an OID), printed as a
// quoted, schema-qualified name; the columns are quoted as identifiers; the aggregate is qualified with the
// extension's schema and every other name with pg_catalog; the parameters travel as a query parameter. The
// queries run with the caller's privileges (the functions are not SECURITY DEFINER), read-only, in the
// calling statement's snapshot, so every evaluation sees the same rows.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "number_text.hpp"
#include "penalized_fit.hpp"

#include "boundary.hpp"
#include "model_composite.hpp"
#include "model_dispatch.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "executor/spi.h"
}

namespace {

using loyalty::ModelRow;
using loyalty::pg::BoundModel;
using loyalty::pg::postgres_guard;

// The largest sample held in memory for the start (rows of 3 doubles and a weight: 32 MB).
constexpr int kMaxSampleRows = 1000000;

// The source's names, quoted: the relation itself, and the relations one aggregate each runs over (the leaf
// partitions of a partitioned table, else the relation itself).
struct SourceNames {
  std::string relation;
  std::vector<std::string> leaves;
};

std::string quoted_relation(Oid relid) {
  const char* text = postgres_guard([&]() -> const char* {
    const char* name = get_rel_name(relid);
    const char* schema = name ? get_namespace_name(get_rel_namespace(relid)) : nullptr;
    if (name == nullptr || schema == nullptr)
      ereport(ERROR,
              (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation with OID %u does not exist", relid)));
    return quote_qualified_identifier(schema, name);
  });
  return text;
}

SourceNames source_names(Oid relid) {
  SourceNames names;
  names.relation = quoted_relation(relid);
  const bool partitioned =
      postgres_guard([&] { return get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE; });
  if (!partitioned) {
    names.leaves.push_back(names.relation);
    return names;
  }
  const uint64 count = postgres_guard([&] {
    Oid types[1] = {REGCLASSOID};
    Datum values[1] = {ObjectIdGetDatum(relid)};
    if (SPI_execute_with_args("SELECT relid FROM pg_catalog.pg_partition_tree($1) WHERE isleaf ORDER BY 1", 1,
                              types, values, nullptr, true, 0) != SPI_OK_SELECT)
      elog(ERROR, "listing the partitions failed");
    return SPI_processed;
  });
  for (uint64 i = 0; i < count; ++i) {
    const Oid leaf = postgres_guard([&] {
      bool isnull;
      return DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
    });
    names.leaves.push_back(quoted_relation(leaf));
  }
  // A partitioned table without partitions holds no rows: its own (empty) scan.
  if (names.leaves.empty()) names.leaves.push_back(names.relation);
  return names;
}

std::string quoted_identifier(const char* name) {
  return postgres_guard([&]() -> const char* { return quote_identifier(name); });
}

std::string text_argument(FunctionCallInfo fcinfo, int argno) {
  return postgres_guard([&]() -> const char* { return text_to_cstring(PG_GETARG_TEXT_PP(argno)); });
}

// The log-likelihood of the source at given parameters, one query of the model's aggregate per evaluation.
class DistributedLikelihood final : public loyalty::PreparedRows {
 public:
  DistributedLikelihood(FunctionCallInfo fcinfo, const BoundModel& bound, const std::string& sql)
      : fcinfo_(fcinfo), bound_(bound) {
    Oid types[1] = {get_fn_expr_rettype(fcinfo->flinfo)};
    plan_ = postgres_guard([&] {
      SPIPlanPtr plan = SPI_prepare(sql.c_str(), 1, types);
      if (plan == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
      return plan;
    });
  }

  double customers() const override { return customers_; }
  std::size_t distinct_rows() const override { return static_cast<std::size_t>(customers_); }

  double log_likelihood(const double* params, double* gradient,
                        const std::function<void()>& check_interrupt) override {
    if (check_interrupt) check_interrupt();
    const int k = bound_.model->parameter_count;
    // The same point again (the fit driver checks the start the caller counted the customers at): no query.
    if (evaluated_ && !gradient && std::equal(params, params + k, last_params_)) return last_total_;
    const Datum model = loyalty::pg::model_composite_make(fcinfo_, params, k, {0, 0, false, 0});
    double total = 0, customers = 0, sum[loyalty::kMaxModelParameters] = {};
    bool bad_shape = false;
    postgres_guard([&] {
      Datum values[1] = {model};
      if (SPI_execute_plan(plan_, values, nullptr, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "the log-likelihood query failed");
      for (uint64 row = 0; row < SPI_processed; ++row) {
        bool isnull;
        const Datum d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 1, &isnull);
        if (isnull) continue;  // an empty partition
        HeapTupleHeader result = DatumGetHeapTupleHeader(d);
        total += DatumGetFloat8(GetAttributeByNum(result, 1, &isnull));
        ArrayType* array = DatumGetArrayTypeP(GetAttributeByNum(result, 2, &isnull));
        if (ARR_NDIM(array) != 1 || ARR_DIMS(array)[0] != k || ARR_HASNULL(array)) bad_shape = true;
        for (int i = 0; !bad_shape && i < k; ++i) sum[i] += reinterpret_cast<double*>(ARR_DATA_PTR(array))[i];
        customers += static_cast<double>(DatumGetInt64(GetAttributeByNum(result, 3, &isnull)));
      }
      SPI_freetuptable(SPI_tuptable);
    });
    if (bad_shape)
      throw std::logic_error(std::string(bound_.likelihood_name) + " returned a malformed gradient");
    // The rows may not change between evaluations (one snapshot); a different count means they did.
    if (evaluated_ && customers != customers_)
      throw loyalty::pg::SqlStateError(ERRCODE_T_R_SERIALIZATION_FAILURE,
                                       "the source's rows changed during the fit (" +
                                           loyalty::number_text(customers_) + " customers, then " +
                                           loyalty::number_text(customers) + ")");
    customers_ = customers;
    evaluated_ = true;
    std::copy(params, params + k, last_params_);
    last_total_ = total;
    if (gradient)
      for (int i = 0; i < k; ++i) gradient[i] = sum[i];
    return total;
  }

 private:
  FunctionCallInfo fcinfo_;
  const BoundModel& bound_;
  SPIPlanPtr plan_ = nullptr;
  double customers_ = 0;
  bool evaluated_ = false;
  double last_params_[loyalty::kMaxModelParameters] = {}, last_total_ = 0;
};

// The first `limit` complete rows of the source (repeat buyers only for Gamma-Gamma), validated.
std::vector<ModelRow> sample_rows(const BoundModel& bound, const std::string& sql) {
  const uint64 count = postgres_guard([&] {
    if (SPI_execute(sql.c_str(), true, 0) != SPI_OK_SELECT) elog(ERROR, "the sample query failed");
    return SPI_processed;
  });
  const int fields = bound.model->row_kind == loyalty::RowKind::spend ? 2 : 3;
  std::vector<ModelRow> rows(count, ModelRow{{0, 0, 0}, 1});
  ModelRow* out = rows.data();
  postgres_guard([&] {
    for (uint64 r = 0; r < count; ++r)
      for (int f = 0; f < fields; ++f) {
        bool isnull;
        out[r].key[f] =
            DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, f + 1, &isnull));
      }
    SPI_freetuptable(SPI_tuptable);
  });
  for (const ModelRow& row : rows) bound.model->validate_row(row);
  return rows;
}

// (source regclass, column names..., penalizer, sample_rows): the model fitted by the core's fit driver over
// the model's log-likelihood aggregate on the source; NULL when the source holds no complete row.
Datum fit_distributed(FunctionCallInfo fcinfo, const BoundModel& bound) {
  const loyalty::ModelDescription& model = *bound.model;
  const bool spend = model.row_kind == loyalty::RowKind::spend;
  const int fields = spend ? 2 : 3;
  const Oid relid = PG_GETARG_OID(0);
  const double penalizer = PG_GETARG_FLOAT8(fields + 1);
  const int32 sample_limit = PG_GETARG_INT32(fields + 2);
  loyalty::check_penalizer(penalizer);  // before any query, so that an empty source still reports it
  if (sample_limit < 1 || sample_limit > kMaxSampleRows)
    throw std::invalid_argument("sample_rows must be between 1 and " + std::to_string(kMaxSampleRows) +
                                " (got " + std::to_string(sample_limit) + ")");

  // Every complete row; for Gamma-Gamma only the repeat buyers, as gamma_gamma_fit takes them.
  std::string columns, complete;
  for (int f = 0; f < fields; ++f) {
    const std::string column = quoted_identifier(text_argument(fcinfo, f + 1).c_str());
    columns += (f ? ", " : "") + column + "::pg_catalog.float8";
    complete += (f ? " AND " : "") + column + " IS NOT NULL";
    if (spend && f == 0) complete += " AND " + column + " > 0";
  }
  const std::string schema = postgres_guard([&]() -> const char* {
    return quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
  });

  postgres_guard([] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  });
  const SourceNames source = source_names(relid);
  const std::vector<ModelRow> sample =
      sample_rows(bound, "SELECT " + columns + " FROM " + source.relation + " WHERE " + complete + " LIMIT " +
                             std::to_string(sample_limit));
  if (sample.empty()) {
    postgres_guard([] { SPI_finish(); });
    PG_RETURN_NULL();
  }
  loyalty::FitOptions options;
  options.penalizer = penalizer;
  options.check_interrupt = loyalty::pg::check_for_interrupts;
  const loyalty::ModelFit start = loyalty::fit_model(model, sample, options);
  double reference[loyalty::kMaxModelParameters];
  model.reference(sample, reference);

  std::string sql;
  for (const std::string& leaf : source.leaves)
    sql += (sql.empty() ? "" : " UNION ALL ") + std::string("SELECT ") + schema + "." +
           bound.likelihood_name + "(" + columns + ", $1) FROM " + leaf;
  DistributedLikelihood data(fcinfo, bound, sql);
  data.log_likelihood(start.params.data(), nullptr, options.check_interrupt);  // counts the customers
  const loyalty::ModelFit fit = loyalty::fit_model_from(model, data, start.params.data(), reference, options);
  postgres_guard([] { SPI_finish(); });
  return loyalty::pg::model_composite_of_fit(fcinfo, model.parameter_count, fit.params, fit.report);
}

}  // namespace

// The entry points (C symbols of src/sql/411_distributed_fits.sql), a model a line.
// clang-format off
LOYALTY_MODEL_ENTRY(bgnbd, fit_distributed, fit_distributed)
LOYALTY_MODEL_ENTRY(mbgnbd, fit_distributed, fit_distributed)
LOYALTY_MODEL_ENTRY(pareto_nbd, fit_distributed, fit_distributed)
LOYALTY_MODEL_ENTRY(bgbb, fit_distributed, fit_distributed)
LOYALTY_MODEL_ENTRY(gamma_gamma, fit_distributed, fit_distributed)
// clang-format on
