// Composite results (and arrays of them): the result type's TupleDesc is looked up, copied into fn_mcxt and
// blessed once per call site, then every call only forms its tuple.
//
// For LOYALTY_SQL_FUNCTION bodies: the lookups and heap_form_tuple (which pallocs) run through
// postgres_guard; a catalog that disagrees with `fields` (only a broken install) throws SqlStateError.
#pragma once

#include "boundary.hpp"

namespace loyalty {
namespace pg {

// What a function returns: a composite of `fields` fields (-1: any number), or an array of such composites.
// A catalog that says otherwise is the error (sqlstate, message).
struct ResultShape {
  int fields;
  int sqlstate;
  const char* message;
  bool array_of_composites;
};

// The call site's result row type, made once.
struct ResultType {
  TupleDesc desc;    // blessed; of the array's element type for array_of_composites
  Oid element_type;  // array_of_composites: the composite type, and how construct_array stores it
  int16 element_length;
  bool element_by_value;
  char element_align;
};

// The result type kept at *slot (made in fn_mcxt on the first call, when *slot is nullptr).
const ResultType& result_type(FunctionCallInfo fcinfo, const ResultShape& shape, ResultType** slot);

// The result type kept in fn_extra, for functions with no other per-call-site cache.
inline const ResultType& result_type(FunctionCallInfo fcinfo, const ResultShape& shape) {
  return result_type(fcinfo, shape, reinterpret_cast<ResultType**>(&fcinfo->flinfo->fn_extra));
}

// A composite datum of `values` and `nulls` (desc->natts of each) in the current memory context.
Datum form_result_tuple(TupleDesc desc, const Datum* values, const bool* nulls);

// An array of `count` composite datums of `type` (array_of_composites) in the current memory context.
Datum form_result_array(const ResultType& type, Datum* elements, int count);

}  // namespace pg
}  // namespace loyalty
