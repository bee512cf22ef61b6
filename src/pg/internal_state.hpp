// Aggregates whose state is `internal`: a plain struct in the aggregate's memory context, passed between
// parallel processes as bytea. This template holds what every such aggregate does the same way:
//  - the aggregate-context check ("<name>_<role> called in non-aggregate context", 0A000);
//  - combine: a NULL side is no work; into a NULL state, a copy of the other in the aggregate's context;
//  - serialise: a versioned header (magic, version) before the payload;
//  - deserialise: the header checked, the payload validated by the traits, the state built in the CURRENT
//    memory context (the per-call context: combine copies what it keeps into the aggregate's context, so the
//    deserialised state is never left behind there).
// For LOYALTY_SQL_FUNCTION bodies: errors are C++ exceptions, allocation goes through memory.hpp.
//
// Traits (all static):
//   using State;                                       a plain struct (no constructor or destructor runs)
//   const char* name;                                  "customer_summary"
//   uint32 magic, version;                             of the serialised form; a new layout bumps version
//   State* copy(MemoryContext, State* from);           a copy of `from` in the context (may normalise `from`)
//   void merge(MemoryContext, State* into, State* from);  into += from; growth allocated in the context
//   Size payload_size(const State*);                   bytes after the header (may throw if too large)
//   void write(const State*, char* out);
//   State* read(const char* payload, Size size);       a validated state in the current memory context, or
//                                                      invalid_internal_state
#pragma once

#include <cstring>

#include "arguments.hpp"
#include "boundary.hpp"
#include "memory.hpp"

namespace loyalty {
namespace pg {

// Throws SqlStateError 22023 "invalid <name> state: <why>".
[[noreturn]] inline void invalid_internal_state(const char* name, const char* why) {
  throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE, formatted("invalid %s state: %s", name, why));
}

// The serialised form's first bytes (unaligned: read with memcpy).
struct InternalStateHeader {
  uint32 magic;
  uint32 version;
};

template <typename Traits>
class InternalStateAggregate {
 public:
  using State = typename Traits::State;

  // The aggregate's memory context, or SqlStateError 0A000 outside an aggregate. `role`: accum, combine, ...
  static MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* role) {
    MemoryContext context;
    if (!AggCheckCallContext(fcinfo, &context))
      throw SqlStateError(ERRCODE_FEATURE_NOT_SUPPORTED,
                          formatted("%s_%s called in non-aggregate context", Traits::name, role));
    return context;
  }

  // State argument `argno`, nullptr for NULL.
  static State* state_arg(FunctionCallInfo fcinfo, int argno) {
    return PG_ARGISNULL(argno) ? nullptr : reinterpret_cast<State*>(PG_GETARG_POINTER(argno));
  }

  static Datum combine(FunctionCallInfo fcinfo) {
    MemoryContext context = aggregate_context(fcinfo, "combine");
    State* into = state_arg(fcinfo, 0);
    State* from = state_arg(fcinfo, 1);
    if (from == nullptr) {
      if (into == nullptr) PG_RETURN_NULL();
      return PointerGetDatum(into);
    }
    if (into == nullptr) return PointerGetDatum(Traits::copy(context, from));
    Traits::merge(context, into, from);
    return PointerGetDatum(into);
  }

  static Datum serialize(FunctionCallInfo fcinfo) {
    aggregate_context(fcinfo, "serialize");
    const State* state = reinterpret_cast<const State*>(PG_GETARG_POINTER(0));
    const Size payload = Traits::payload_size(state);
    if (payload > MaxAllocSize - VARHDRSZ - sizeof(InternalStateHeader))
      throw SqlStateError(
          ERRCODE_PROGRAM_LIMIT_EXCEEDED,
          formatted("%s: a partial state is too large to pass between processes", Traits::name));
    const Size size = VARHDRSZ + sizeof(InternalStateHeader) + payload;
    auto* result = static_cast<bytea*>(allocate(CurrentMemoryContext, size));
    SET_VARSIZE(result, size);
    const InternalStateHeader header{Traits::magic, Traits::version};
    memcpy(VARDATA(result), &header, sizeof header);
    Traits::write(state, VARDATA(result) + sizeof header);
    return PointerGetDatum(result);
  }

  static Datum deserialize(FunctionCallInfo fcinfo) {
    aggregate_context(fcinfo, "deserialize");
    const varlena* bytes = packed_argument(fcinfo, 0);
    const Size size = VARSIZE_ANY_EXHDR(bytes);
    const char* data = VARDATA_ANY(bytes);
    InternalStateHeader header;
    if (size < sizeof header) invalid_internal_state(Traits::name, "too short");
    memcpy(&header, data, sizeof header);
    if (header.magic != Traits::magic) invalid_internal_state(Traits::name, "unknown format");
    if (header.version != Traits::version)
      throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                          formatted("invalid %s state: format version %u, expected %u", Traits::name,
                                    header.version, Traits::version));
    return PointerGetDatum(Traits::read(data + sizeof header, size - sizeof header));
  }
};

}  // namespace pg
}  // namespace loyalty
