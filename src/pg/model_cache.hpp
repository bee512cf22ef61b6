// The parameters of a model composite argument, read once per query rather than once per row.
//
// A prediction function is usually called with the same model on every row (a constant, a parameter, a
// scalar subquery, or a join against a small table of models). Reading a composite's fields costs a type
// cache lookup per field; here it is done only when the composite's bytes differ from those of the previous
// call: the bytes and the parsed parameters are kept in fcinfo->flinfo->fn_extra, allocated in fn_mcxt (which
// lives as long as the query's expression). A row with another model simply re-reads and re-caches.
//
// Plain C-style code that may ereport: call it outside cpp_boundary, where no C++ object is alive.
#pragma once

#include <cstring>

#include "model_composite.hpp"
#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// Two slots: clv_estimate takes a transaction model and a spend model.
constexpr int kModelCacheSlots = 2;

struct CachedModel {
  uint32 length;    // bytes of the composite (0: empty slot)
  uint32 capacity;  // bytes allocated at `bytes`
  char* bytes;
  double parameters[kMaxModelParameters];
};

struct ModelCache {
  CachedModel slots[kModelCacheSlots];
};

// The first `count` parameters of the model composite in argument `argno` (non-NULL: the functions are
// STRICT), validated as model_composite_parameters does (ERROR 22023 naming `what`). `slot` <
// kModelCacheSlots tells the model arguments of one function apart.
inline const double* cached_model_parameters(FunctionCallInfo fcinfo, int slot, int argno, int count,
                                             const char* what) {
  HeapTupleHeader model = PG_GETARG_HEAPTUPLEHEADER(argno);
  const uint32 length = HeapTupleHeaderGetDatumLength(model);
  auto* cache = static_cast<ModelCache*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = static_cast<ModelCache*>(MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ModelCache)));
    fcinfo->flinfo->fn_extra = cache;
  }
  CachedModel& entry = cache->slots[slot];
  if (entry.length == length && memcmp(entry.bytes, model, length) == 0) return entry.parameters;

  double parameters[kMaxModelParameters];
  model_composite_parameters(model, parameters, count, what);  // ereports on a bad model: cache unchanged
  if (entry.capacity < length) {
    char* bytes = static_cast<char*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, length));
    if (entry.bytes != nullptr) pfree(entry.bytes);
    entry.bytes = bytes;
    entry.capacity = length;
  }
  memcpy(entry.bytes, model, length);
  entry.length = length;
  for (int i = 0; i < count; ++i) entry.parameters[i] = parameters[i];
  return entry.parameters;
}

}  // namespace pg
}  // namespace loyalty
