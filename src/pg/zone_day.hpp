// Calendar days in a time zone: the session's TimeZone, or a zone named by a `zone text` argument with the
// meaning AT TIME ZONE gives it (PostgreSQL 15's timestamptz_zone: a fixed or dynamic abbreviation of the
// timezone_abbreviations set first, then a full zone name or a POSIX spec). The one zone/day helper of the
// binding: customer_summary, order_kpis, purchase_gaps, customer_state, cohort_period and retention_series
// take their days (or their calendar arithmetic) from here.
//
// A day is exactly (ts AT TIME ZONE zone)::date, as a PostgreSQL date (days since 2000-01-01). The UTC offset
// of a timestamp comes from a small per-call-site cache of the zone's offset intervals
// (pg_next_dst_boundary), so that most rows cost a binary search over a few intervals, an addition and a
// division: no allocation and no PostgreSQL call that can raise. Resolving a zone name (once per distinct
// name at a call site) runs under a guard; only a dynamic abbreviation (DetermineTimeZoneAbbrevOffsetTS,
// which raises for a timestamp out of range) is guarded on every row.
//
// Why an explicit zone matters: a distributed engine (Citus) does not pass the session's TimeZone to its
// nodes, so a function that reads it computes other days there than on the coordinator.
#pragma once

#include "postgres_headers.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "pgtime.h"
#include "utils/timestamp.h"
}
#pragma GCC diagnostic pop

namespace loyalty {
namespace pg {

enum class ZoneKind : int32 { session, fixed, dynamic_abbreviation, named };

// UTC seconds [low, high) share gmtoff (seconds east of UTC); `high` is the zone's next transition.
struct ZoneOffsetInterval {
  int64 low;
  int64 high;
  int32 gmtoff;
};

// The zone of a call site and its offset cache. Plain memory (fn_extra or a field of a larger cache):
// zone_days_init makes it the session zone.
struct ZoneDays {
  static constexpr int kMaxIntervals = 64;
  ZoneKind kind;
  pg_tz* tz;           // session or named zone; the abbreviation's zone for dynamic_abbreviation
  pg_tz* calendar_tz;  // for calendar arithmetic with a fixed abbreviation (pg_tzset_offset); made on use
  int32 fixed_gmtoff;  // seconds east of UTC, for fixed
  uint32 zone_key;     // 0: the session zone; otherwise a hash of the zone's name (kept in states)
  int zone_length;     // -1: the session zone
  char zone_name[TZ_STRLEN_MAX + 1];
  int interval_count;
  ZoneOffsetInterval intervals[kMaxIntervals];
};

// Makes `days` the session zone with an empty cache.
void zone_days_init(ZoneDays* days);

// Makes `days` the zone named by `zone` (text), resolved as AT TIME ZONE does; nothing to do when it is the
// zone already set. Throws SqlStateError 22023 "<function>: time zone "..." not recognized" (or too long).
void zone_days_set(ZoneDays* days, const varlena* zone, const char* function);

// The cache of a call site (fn_extra), the session zone, created on first use in fn_mcxt; throws
// std::bad_alloc when out of memory. Only for functions that keep nothing else in fn_extra. With `zone_argno`
// >= 0, the zone of that (non-NULL) text argument is set.
ZoneDays* zone_days(FunctionCallInfo fcinfo, int zone_argno = -1, const char* function = "");

namespace detail {
constexpr int64 kUnixEpochSecondsSince2000 =
    static_cast<int64>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;

inline int64 floor_div(int64 a, int64 b) {
  int64 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The interval cache missed: asks the zone (pg_next_dst_boundary) and keeps the interval. Never raises.
int32 learn_gmtoff(ZoneDays* days, int64 utc, int position);
// Seconds east of UTC of a dynamic abbreviation at `ts` (guarded: throws PostgresError out of range).
int64 dynamic_abbreviation_gmtoff(const ZoneDays* days, TimestampTz ts);
}  // namespace detail

// Seconds east of UTC in a session or named zone at UTC second `utc`, through the interval cache.
inline int32 cached_gmtoff(ZoneDays* days, int64 utc) {
  const ZoneOffsetInterval* iv = days->intervals;
  const int n = days->interval_count;
  int lo = 0, hi = n;  // the only interval that can hold `utc` is the first one ending after it
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (iv[mid].high <= utc)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < n && iv[lo].low <= utc) return iv[lo].gmtoff;
  return detail::learn_gmtoff(days, utc, lo);
}

// Seconds east of UTC in the zone at a finite timestamp.
inline int64 zone_gmtoff(ZoneDays* days, TimestampTz ts) {
  switch (days->kind) {
    case ZoneKind::fixed:
      return days->fixed_gmtoff;
    case ZoneKind::dynamic_abbreviation:
      return detail::dynamic_abbreviation_gmtoff(days, ts);
    case ZoneKind::session:
      if (unlikely(days->tz != session_timezone)) {  // SET TIME ZONE inside the query (a function did it)
        days->tz = session_timezone;
        days->interval_count = 0;
      }
      break;
    case ZoneKind::named:
      break;
  }
  return cached_gmtoff(days, detail::floor_div(ts, USECS_PER_SEC) + detail::kUnixEpochSecondsSince2000);
}

// The calendar day (PostgreSQL date: days since 2000-01-01) of a finite timestamp in the zone.
inline int32 zone_local_day(ZoneDays* days, TimestampTz ts) {
  const int64 gmtoff = zone_gmtoff(days, ts);
  return static_cast<int32>(detail::floor_div(ts + gmtoff * USECS_PER_SEC, USECS_PER_DAY));
}

// ts + interval with its months and days counted on the zone's calendar, exactly as timestamptz + interval
// does under SET TimeZone = zone (months first, the day of month clamped to the month's length, then days,
// each time keeping the local time of day, then the interval's time part as elapsed time). A fixed
// abbreviation counts as a zone of that constant offset, a dynamic one as its underlying zone. Guarded:
// throws 22008 when the result is out of range.
TimestampTz zone_add_interval(ZoneDays* days, TimestampTz ts, const Interval* interval);

}  // namespace pg
}  // namespace loyalty
