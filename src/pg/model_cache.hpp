// The parameters of a model composite argument, read once per query rather than once per row: the one model
// cache of the binding (predictions, CLV, likelihood aggregates, sBG).
//
// A model argument is usually the same on every row (a constant, a parameter, a scalar subquery, or a join
// against a small table of models). Reading a composite's fields costs a type cache lookup per field; here it
// is done only when the composite's bytes differ from those of the previous call: the bytes and the parsed
// parameters are kept in fcinfo->flinfo->fn_extra, allocated in fn_mcxt (which lives as long as the query's
// expression). A row with another model simply re-reads and re-caches. Safe inside LOYALTY_SQL_FUNCTION
// bodies (PostgreSQL calls guarded, errors thrown).
#pragma once

#include "model.hpp"

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// Two slots: clv_estimate takes a transaction model and a spend model.
constexpr int kModelCacheSlots = 2;

// The parameters of the composite in argument `argno` (non-NULL: the functions are STRICT) of `model`,
// validated (std::invalid_argument "invalid <sql type>: parameter <i> must be a positive finite number").
// `slot` < kModelCacheSlots tells the model arguments of one function apart.
const double* cached_model_parameters(FunctionCallInfo fcinfo, int slot, int argno,
                                      const ModelDescription& model);

// The same per-call-site cache's other slots (NULL until their owner first fills them, in fn_mcxt): the
// layout of a customer_summary_result argument (summary_composite.hpp) and the scoring set-up of
// customer_scores (customer_scores_result.hpp).
enum class CallSiteSlot { summary_layout, scoring_setup };
void** call_site_slot(FunctionCallInfo fcinfo, CallSiteSlot which);

}  // namespace pg
}  // namespace loyalty
