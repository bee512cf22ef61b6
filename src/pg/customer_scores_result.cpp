#include "customer_scores_result.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "boundary.hpp"
#include "model_cache.hpp"

namespace loyalty {
namespace pg {

constexpr int kMaxSegments = 101;

struct ScoringSetup {
  TupleDesc result;  // blessed, in fn_mcxt
  int boundary_count;
  double boundaries[kMaxSegments];
  Datum labels[kMaxSegments];  // text, in fn_mcxt
  Size key_length;             // the two arrays' bytes, to tell whether the next call brings the same ones
  char* key;
};

namespace {

enum ReadProblem { read_ok = 0, read_null_boundary, read_null_label, read_too_many };

}  // namespace

const ScoringSetup* scoring_setup(FunctionCallInfo fcinfo, Datum boundaries, Datum labels) {
  void** slot = call_site_slot(fcinfo, CallSiteSlot::scoring_setup);
  int problem = read_ok, boundary_count = 0, label_count = 0;
  double values[kMaxSegments];
  const ScoringSetup* same = postgres_guard([&]() -> const ScoringSetup* {
    ArrayType* b = DatumGetArrayTypeP(boundaries);
    ArrayType* l = DatumGetArrayTypeP(labels);
    const Size b_size = VARSIZE(b), l_size = VARSIZE(l);
    auto* setup = static_cast<ScoringSetup*>(*slot);
    if (setup != nullptr && setup->key_length == b_size + l_size && memcmp(setup->key, b, b_size) == 0 &&
        memcmp(setup->key + b_size, l, l_size) == 0)
      return setup;
    Datum* elements;
    bool* nulls;
    int count;
    deconstruct_array(b, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elements, &nulls, &count);
    boundary_count = count;
    if (count >= kMaxSegments) {
      problem = read_too_many;
      return nullptr;
    }
    for (int i = 0; i < count; ++i) {
      if (nulls[i]) problem = read_null_boundary;
      values[i] = nulls[i] ? 0 : DatumGetFloat8(elements[i]);
    }
    Datum* texts;
    bool* text_nulls;
    deconstruct_array(l, TEXTOID, -1, false, TYPALIGN_INT, &texts, &text_nulls, &label_count);
    if (problem != read_ok || label_count != count + 1 || label_count > kMaxSegments) return nullptr;
    for (int i = 0; i < label_count; ++i)
      if (text_nulls[i]) {
        problem = read_null_label;
        return nullptr;
      }
    // Valid so far (the boundaries' order is checked below, outside PostgreSQL): keep it all in fn_mcxt.
    const MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    if (setup == nullptr) {
      setup = static_cast<ScoringSetup*>(palloc0(sizeof(ScoringSetup)));
      TupleDesc desc;
      if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("customer_scores must be called where a composite result is expected")));
      setup->result = BlessTupleDesc(desc);
      *slot = setup;
    } else {
      pfree(setup->key);
      for (int i = 0; i <= setup->boundary_count; ++i) pfree(DatumGetPointer(setup->labels[i]));
    }
    setup->boundary_count = count;
    for (int i = 0; i < count; ++i) setup->boundaries[i] = values[i];
    for (int i = 0; i < label_count; ++i) setup->labels[i] = PointerGetDatum(DatumGetTextPCopy(texts[i]));
    setup->key = static_cast<char*>(palloc(b_size + l_size));
    memcpy(setup->key, b, b_size);
    memcpy(setup->key + b_size, l, l_size);
    setup->key_length = b_size + l_size;
    MemoryContextSwitchTo(old);
    return nullptr;  // new: validated below
  });
  if (same != nullptr) return same;
  if (problem == read_too_many)
    throw std::invalid_argument("risk boundaries must hold between 1 and 100 values (got " +
                                std::to_string(boundary_count) + ")");
  if (problem == read_null_boundary) throw std::invalid_argument("risk boundaries must not be NULL");
  if (problem == read_null_label) throw std::invalid_argument("risk labels must not be NULL");
  if (label_count != boundary_count + 1)
    throw std::invalid_argument("risk labels must name one segment more than there are risk boundaries (" +
                                std::to_string(boundary_count) + " boundaries, " +
                                std::to_string(label_count) + " labels)");
  auto* setup = static_cast<ScoringSetup*>(*slot);
  try {
    validate_risk_boundaries(setup->boundaries, setup->boundary_count);
  } catch (...) {
    setup->key_length = 0;  // not to be reused
    throw;
  }
  return setup;
}

const double* risk_boundaries(const ScoringSetup* setup) {
  return setup->boundaries;
}

int risk_boundary_count(const ScoringSetup* setup) {
  return setup->boundary_count;
}

Datum scores_result(const ScoringSetup* setup, const CustomerScores& scores, bool value_known) {
  return postgres_guard([&] {
    Datum values[5] = {Float8GetDatum(scores.p_alive), Float8GetDatum(scores.churn_probability),
                       Float8GetDatum(scores.expected_purchases), Float8GetDatum(scores.value),
                       setup->labels[scores.risk_segment]};
    bool nulls[5] = {false, false, false, !value_known, false};
    return HeapTupleGetDatum(heap_form_tuple(setup->result, values, nulls));
  });
}

}  // namespace pg
}  // namespace loyalty
