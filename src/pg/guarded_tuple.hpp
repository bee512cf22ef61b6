// Composite results built from a LOYALTY_SQL_FUNCTION body: the type lookup and heap_form_tuple may raise, so
// they run through postgres_guard. (A local helper of the issue-12 binding files; the binding's shared result
// builder is being written by another change, and the two are to be unified.)
#pragma once

#include "boundary.hpp"

namespace loyalty {
namespace pg {

// The blessed descriptor of the function's composite result, checked to have `natts` fields. Cached in
// fn_extra when `cache` is true (for functions that keep nothing else there).
inline TupleDesc guarded_result_descriptor(FunctionCallInfo fcinfo, int natts, const char* type_name,
                                           bool cache = true) {
  if (cache && fcinfo->flinfo->fn_extra != nullptr) return static_cast<TupleDesc>(fcinfo->flinfo->fn_extra);
  return postgres_guard([&]() -> TupleDesc {
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != natts)
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("function must return %s", type_name)));
    if (!cache) return BlessTupleDesc(tupdesc);
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    TupleDesc kept = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
    MemoryContextSwitchTo(old);
    fcinfo->flinfo->fn_extra = kept;
    return kept;
  });
}

inline Datum guarded_tuple(TupleDesc tupdesc, Datum* values, bool* nulls) {
  return postgres_guard([&] { return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)); });
}

}  // namespace pg
}  // namespace loyalty
