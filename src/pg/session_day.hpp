// The calendar day of a timestamp in the session's TimeZone, exactly as (ts AT TIME ZONE current_setting
// ('TimeZone'))::date, with a small per-call-site cache of the zone's UTC offset intervals
// (pg_next_dst_boundary), so that most rows cost an addition and a division.
//
// A copy of the session-zone part of src/pg/customer_summary.cpp's day computation (that file is being
// refactored by another change; the two are to be unified). Plain C-style code that never raises: no
// PostgreSQL error can leave these functions, so they are safe inside a LOYALTY_SQL_FUNCTION body.
#pragma once

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

struct ZoneOffsetInterval {
  int64 low;  // UTC seconds [low, high) share gmtoff (seconds east of UTC)
  int64 high;
  int32 gmtoff;
};

struct SessionDayCache {
  static constexpr int kMaxIntervals = 64;
  pg_tz* tz;  // the session zone the intervals belong to
  int interval_count;
  ZoneOffsetInterval intervals[kMaxIntervals];
};

// Empties the cache (memory of sizeof(SessionDayCache), e.g. from fn_extra).
void session_day_cache_init(SessionDayCache* cache);

// The calendar day (PostgreSQL date: days since 2000-01-01) of a finite timestamp in the session's TimeZone.
int32 session_local_day(SessionDayCache* cache, TimestampTz ts);

// The cache of a call site (fn_extra), created on first use in fn_mcxt; throws std::bad_alloc when out of
// memory. Only for functions that keep nothing else in fn_extra.
SessionDayCache* session_day_cache(FunctionCallInfo fcinfo);

}  // namespace pg
}  // namespace loyalty
