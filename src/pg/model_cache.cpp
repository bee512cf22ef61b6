#include "model_cache.hpp"
#include "memory.hpp"

#include <cstring>
#include <new>

#include "boundary.hpp"
#include "model_composite.hpp"

namespace loyalty {
namespace pg {
namespace {

struct CachedModel {
  uint32 length;    // bytes of the composite (0: empty slot)
  uint32 capacity;  // bytes allocated at `bytes`
  char* bytes;
  double parameters[kMaxModelParameters];
};

struct ModelCache {
  CachedModel slots[kModelCacheSlots];
  void* summary_layout;  // summary_composite.cpp's, in fn_mcxt
  void* scoring_setup;   // customer_scores_result.cpp's, in fn_mcxt
};

ModelCache* cache_of(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<ModelCache*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = static_cast<ModelCache*>(
        loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(ModelCache), false, true));
    fcinfo->flinfo->fn_extra = cache;
  }
  return cache;
}

}  // namespace

void** call_site_slot(FunctionCallInfo fcinfo, CallSiteSlot which) {
  ModelCache* cache = cache_of(fcinfo);
  return which == CallSiteSlot::summary_layout ? &cache->summary_layout : &cache->scoring_setup;
}

const double* cached_model_parameters(FunctionCallInfo fcinfo, int slot, int argno,
                                      const ModelDescription& model) {
  // Detoasting may raise.
  const HeapTupleHeader composite = postgres_guard([&] { return PG_GETARG_HEAPTUPLEHEADER(argno); });
  const uint32 length = HeapTupleHeaderGetDatumLength(composite);
  ModelCache* cache = cache_of(fcinfo);
  CachedModel& entry = cache->slots[slot];
  if (entry.length == length && std::memcmp(entry.bytes, composite, length) == 0) return entry.parameters;

  double parameters[kMaxModelParameters];
  model_composite_parameters(composite, parameters, model.parameter_count, model.sql_type);  // may throw
  if (entry.capacity < length) {
    char* bytes = static_cast<char*>(loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, length));
    if (entry.bytes != nullptr) pfree(entry.bytes);  // cannot raise: our own chunk
    entry.bytes = bytes;
    entry.capacity = length;
  }
  std::memcpy(entry.bytes, composite, length);
  entry.length = length;
  for (int i = 0; i < model.parameter_count; ++i) entry.parameters[i] = parameters[i];
  return entry.parameters;
}

}  // namespace pg
}  // namespace loyalty
