#include "result_tuple.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "utils/typcache.h"
}
#pragma GCC diagnostic pop

namespace loyalty {
namespace pg {

const ResultType& result_type(FunctionCallInfo fcinfo, const ResultShape& shape, ResultType** slot) {
  if (*slot != nullptr) return **slot;
  FmgrInfo* flinfo = fcinfo->flinfo;
  const bool ok = postgres_guard([&] {
    TupleDesc desc = nullptr;
    Oid element_type = InvalidOid;
    if (shape.array_of_composites) {
      element_type = get_element_type(get_func_rettype(flinfo->fn_oid));
      if (element_type == InvalidOid || !type_is_rowtype(element_type)) return false;
    } else if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
      return false;
    }
    MemoryContext caller = MemoryContextSwitchTo(flinfo->fn_mcxt);
    auto* type = static_cast<ResultType*>(palloc0(sizeof(ResultType)));
    if (shape.array_of_composites) {
      type->desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(element_type, -1));
      type->element_type = element_type;
      get_typlenbyvalalign(element_type, &type->element_length, &type->element_by_value,
                           &type->element_align);
    } else {
      type->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
    }
    MemoryContextSwitchTo(caller);
    if (shape.fields >= 0 && type->desc->natts != shape.fields) return false;
    *slot = type;
    return true;
  });
  if (!ok) throw SqlStateError(shape.sqlstate, shape.message);
  return **slot;
}

Datum form_result_tuple(TupleDesc desc, const Datum* values, const bool* nulls) {
  return postgres_guard([&] {
    return HeapTupleGetDatum(heap_form_tuple(desc, const_cast<Datum*>(values), const_cast<bool*>(nulls)));
  });
}

Datum form_result_array(const ResultType& type, Datum* elements, int count) {
  return postgres_guard([&] {
    ArrayType* array = count == 0 ? construct_empty_array(type.element_type)
                                  : construct_array(elements, count, type.element_type, type.element_length,
                                                    type.element_by_value, type.element_align);
    return PointerGetDatum(array);
  });
}

}  // namespace pg
}  // namespace loyalty
