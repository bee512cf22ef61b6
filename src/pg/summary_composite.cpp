#include "summary_composite.hpp"

#include <cmath>

#include "boundary.hpp"
#include "model_cache.hpp"

extern "C" {
#include "utils/typcache.h"
}

namespace loyalty {
namespace pg {
namespace {

constexpr int kFields = 5;
const char* const kFieldNames[kFields] = {"frequency", "recency", "t", "monetary", "holdout_frequency"};

// The layout of the composite type last seen at this call site (in fn_mcxt, found through the model cache).
struct SummaryLayout {
  Oid type;
  int32 typmod;
  TupleDesc desc;
  AttrNumber attno[kFields];
  Oid field_type[kFields];
};

double field_value(Datum d, bool isnull, Oid type) {
  if (isnull) return NAN;
  switch (type) {
    case INT4OID:
      return static_cast<double>(DatumGetInt32(d));
    case INT8OID:
      return static_cast<double>(DatumGetInt64(d));
    default:
      return DatumGetFloat8(d);
  }
}

}  // namespace

SummaryFields read_summary(FunctionCallInfo fcinfo, Datum composite) {
  void** slot = call_site_slot(fcinfo, CallSiteSlot::summary_layout);
  double values[kFields];
  postgres_guard([&] {  // detoasting and the type cache may raise; only plain values live here
    HeapTupleHeader header = DatumGetHeapTupleHeader(composite);
    const Oid type = HeapTupleHeaderGetTypeId(header);
    const int32 typmod = HeapTupleHeaderGetTypMod(header);
    auto* layout = static_cast<SummaryLayout*>(*slot);
    if (layout == nullptr || layout->type != type || layout->typmod != typmod) {
      if (layout == nullptr) {
        layout = static_cast<SummaryLayout*>(
            MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SummaryLayout)));
        *slot = layout;
      }
      TupleDesc looked_up = lookup_rowtype_tupdesc(type, typmod);
      const MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
      TupleDesc desc = CreateTupleDescCopy(looked_up);
      MemoryContextSwitchTo(old);
      ReleaseTupleDesc(looked_up);
      for (int f = 0; f < kFields; ++f) {
        layout->attno[f] = InvalidAttrNumber;
        for (int a = 0; a < desc->natts; ++a) {
          const Form_pg_attribute att = TupleDescAttr(desc, a);
          if (!att->attisdropped && strcmp(NameStr(att->attname), kFieldNames[f]) == 0) {
            layout->attno[f] = att->attnum;
            layout->field_type[f] = att->atttypid;
          }
        }
        if (layout->attno[f] == InvalidAttrNumber)
          ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                          errmsg("customer summary composite has no field \"%s\"", kFieldNames[f])));
        const Oid t = layout->field_type[f];
        if (t != INT4OID && t != INT8OID && t != FLOAT8OID)
          ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                          errmsg("customer summary field \"%s\" is not a number", kFieldNames[f])));
      }
      if (layout->desc != nullptr) FreeTupleDesc(layout->desc);
      layout->desc = desc;
      layout->type = type;
      layout->typmod = typmod;
    }
    HeapTupleData tuple;
    tuple.t_len = HeapTupleHeaderGetDatumLength(header);
    ItemPointerSetInvalid(&tuple.t_self);
    tuple.t_tableOid = InvalidOid;
    tuple.t_data = header;
    for (int f = 0; f < kFields; ++f) {
      bool isnull;
      const Datum d = heap_getattr(&tuple, layout->attno[f], layout->desc, &isnull);
      values[f] = field_value(d, isnull, layout->field_type[f]);
    }
  });
  SummaryFields fields;
  fields.frequency = values[0];
  fields.recency = values[1];
  fields.t = values[2];
  fields.monetary = values[3];
  fields.holdout_frequency = values[4];
  fields.calibrated = !std::isnan(values[0]) && !std::isnan(values[1]) && !std::isnan(values[2]);
  return fields;
}

}  // namespace pg
}  // namespace loyalty
