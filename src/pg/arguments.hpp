// Pass-by-reference arguments inside LOYALTY_SQL_FUNCTION bodies: detoasting allocates and may raise, so it
// runs through postgres_guard, but only when it has work to do. A flat value (the aggregate's own states, a
// constant, most values read from a table) is used as it is, with no PostgreSQL call: the per-row paths pay
// no guard for it.
#pragma once

#include "boundary.hpp"

namespace loyalty {
namespace pg {

// Argument `argno` as a flat varlena (PG_DETOAST_DATUM). `copy`: a fresh copy in the current memory context,
// which the caller may modify (PG_DETOAST_DATUM_COPY).
inline varlena* flat_argument(FunctionCallInfo fcinfo, int argno, bool copy = false) {
  const Datum datum = PG_GETARG_DATUM(argno);
  // pg_detoast_datum returns a value that is not VARATT_IS_EXTENDED as it is: the same test.
  if (!copy && !VARATT_IS_EXTENDED(DatumGetPointer(datum)))
    return reinterpret_cast<varlena*>(DatumGetPointer(datum));
  return postgres_guard([&] { return copy ? PG_DETOAST_DATUM_COPY(datum) : PG_DETOAST_DATUM(datum); });
}

// Argument `argno` (text, bytea) possibly with a short header: read it with VARSIZE_ANY_EXHDR and VARDATA_ANY
// (PG_DETOAST_DATUM_PACKED).
inline varlena* packed_argument(FunctionCallInfo fcinfo, int argno) {
  const Datum datum = PG_GETARG_DATUM(argno);
  varlena* value = reinterpret_cast<varlena*>(DatumGetPointer(datum));
  // pg_detoast_datum_packed's own test: only compressed or external values need work.
  if (!VARATT_IS_COMPRESSED(value) && !VARATT_IS_EXTERNAL(value)) return value;
  return postgres_guard([&] { return PG_DETOAST_DATUM_PACKED(datum); });
}

// Argument `argno` as an array (flat; a copy when `copy`).
inline ArrayType* array_argument(FunctionCallInfo fcinfo, int argno, bool copy = false) {
  return reinterpret_cast<ArrayType*>(flat_argument(fcinfo, argno, copy));
}

// Argument `argno` as a composite value (record).
inline HeapTupleHeader composite_argument(FunctionCallInfo fcinfo, int argno) {
  return reinterpret_cast<HeapTupleHeader>(flat_argument(fcinfo, argno));
}

}  // namespace pg
}  // namespace loyalty
