#include <cstring>
#include <limits>

#include "zone_day.hpp"

#include "arguments.hpp"
#include "boundary.hpp"
#include "memory.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "parser/scansup.h"
#include "utils/datetime.h"
}
#pragma GCC diagnostic pop

namespace loyalty {
namespace pg {

namespace {

uint32 hash_zone_name(const char* name, int length) {
  uint32 h = 2166136261U;  // FNV-1a, 32 bit
  for (int i = 0; i < length; ++i) h = (h ^ static_cast<unsigned char>(name[i])) * 16777619U;
  return h == 0 ? 1 : h;  // 0 means the session zone
}

}  // namespace

void zone_days_init(ZoneDays* days) {
  days->kind = ZoneKind::session;
  days->tz = session_timezone;
  days->calendar_tz = nullptr;
  days->fixed_gmtoff = 0;
  days->zone_key = 0;
  days->zone_length = -1;
  days->zone_name[0] = '\0';
  days->interval_count = 0;
}

// Resolves a time zone name the way AT TIME ZONE does (PostgreSQL 15's timestamptz_zone): a fixed or
// dynamic abbreviation from the timezone_abbreviations set first, then a full zone name or POSIX spec.
void zone_days_set(ZoneDays* days, const varlena* zone, const char* function) {
  const int length = VARSIZE_ANY_EXHDR(zone);
  if (length == days->zone_length && memcmp(VARDATA_ANY(zone), days->zone_name, length) == 0) return;
  if (length > TZ_STRLEN_MAX)
    throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE, formatted("%s: time zone name too long", function));
  char name[TZ_STRLEN_MAX + 1];
  memcpy(name, VARDATA_ANY(zone), length);
  name[length] = '\0';

  struct ZoneLookup {
    int type;
    int offset;
    pg_tz* tz;
  };
  const ZoneLookup zone_lookup = postgres_guard([&] {
    ZoneLookup z{0, 0, nullptr};
    char* lower = downcase_truncate_identifier(name, length, false);
    z.type = DecodeTimezoneAbbrev(0, lower, &z.offset, &z.tz);
    if (z.type != TZ && z.type != DTZ && z.type != DYNTZ) z.tz = pg_tzset(name);
    return z;
  });
  if (zone_lookup.type == TZ || zone_lookup.type == DTZ) {
    days->kind = ZoneKind::fixed;
    days->fixed_gmtoff = zone_lookup.offset;  // the abbreviation's offset, seconds east of UTC
    days->tz = nullptr;
  } else if (zone_lookup.type == DYNTZ) {
    days->kind = ZoneKind::dynamic_abbreviation;
    days->tz = zone_lookup.tz;
  } else {
    if (zone_lookup.tz == nullptr)
      throw SqlStateError(ERRCODE_INVALID_PARAMETER_VALUE,
                          formatted("%s: time zone \"%s\" not recognized", function, name));
    days->kind = ZoneKind::named;
    days->tz = zone_lookup.tz;
  }
  memcpy(days->zone_name, name, length + 1);
  days->zone_length = length;
  days->zone_key = hash_zone_name(name, length);
  days->calendar_tz = nullptr;
  days->interval_count = 0;
}

ZoneDays* zone_days(FunctionCallInfo fcinfo, int zone_argno, const char* function) {
  auto* days = static_cast<ZoneDays*>(fcinfo->flinfo->fn_extra);
  if (days == nullptr) {
    days = static_cast<ZoneDays*>(allocate(fcinfo->flinfo->fn_mcxt, sizeof(ZoneDays)));
    zone_days_init(days);
    fcinfo->flinfo->fn_extra = days;
  }
  if (zone_argno >= 0) zone_days_set(days, packed_argument(fcinfo, zone_argno), function);
  return days;
}

namespace detail {

int32 learn_gmtoff(ZoneDays* days, int64 utc, int lo) {
  ZoneOffsetInterval* iv = days->intervals;
  int n = days->interval_count;
  pg_time_t t = static_cast<pg_time_t>(utc);
  long before_gmtoff = 0, after_gmtoff = 0;
  int before_isdst = 0, after_isdst = 0;
  pg_time_t boundary = 0;
  const int found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst, &boundary, &after_gmtoff,
                                         &after_isdst, days->tz);
  if (found < 0) {  // not expected (PostgreSQL's implementation never fails): ask for this one second
    struct pg_tm* tm = pg_localtime(&t, days->tz);
    return tm == nullptr ? 0 : static_cast<int32>(tm->tm_gmtoff);
  }
  const int64 high = found == 0 ? std::numeric_limits<int64>::max() : static_cast<int64>(boundary);
  if (lo < n && iv[lo].high == high && iv[lo].gmtoff == before_gmtoff) {
    iv[lo].low = utc;  // the same interval, known further back
  } else {
    if (n == ZoneDays::kMaxIntervals) {  // a very long history in a zone with DST: start over
      days->interval_count = n = 0;
      lo = 0;
    }
    memmove(&iv[lo + 1], &iv[lo], sizeof(ZoneOffsetInterval) * (n - lo));
    iv[lo] = ZoneOffsetInterval{utc, high, static_cast<int32>(before_gmtoff)};
    days->interval_count = n + 1;
  }
  return static_cast<int32>(before_gmtoff);
}

// Out of line so that the other zones' path stays short.
pg_noinline int64 dynamic_abbreviation_gmtoff(const ZoneDays* days, TimestampTz ts) {
  return -postgres_guard([&] {
    int isdst;
    return DetermineTimeZoneAbbrevOffsetTS(ts, days->zone_name, days->tz, &isdst);
  });
}

}  // namespace detail

namespace {

// The zone whose calendar interval arithmetic follows (see zone_add_interval).
pg_tz* calendar_zone(ZoneDays* days) {
  switch (days->kind) {
    case ZoneKind::session:
      return session_timezone;
    case ZoneKind::fixed:
      if (days->calendar_tz == nullptr) {
        const long west = -static_cast<long>(days->fixed_gmtoff);  // POSIX sign: seconds west of UTC
        days->calendar_tz = postgres_guard([&] { return pg_tzset_offset(west); });
      }
      return days->calendar_tz;
    case ZoneKind::dynamic_abbreviation:
    case ZoneKind::named:
    default:
      return days->tz;
  }
}

}  // namespace

TimestampTz zone_add_interval(ZoneDays* days, TimestampTz ts, const Interval* interval) {
  if (TIMESTAMP_NOT_FINITE(ts)) return ts;
  pg_tz* tz = calendar_zone(days);
  const int32 months = interval->month, day_count = interval->day;
  const int64 time = interval->time;
  // The steps of timestamptz + interval (PostgreSQL's timestamptz_pl_interval, which reads the session zone;
  // PostgreSQL 16 passes the zone as here, in date_add(timestamptz, interval, text)): each calendar step
  // breaks the instant down in the zone, moves the local date, and finds the instant of the new local time
  // (DetermineTimeZoneOffset resolves a time skipped or repeated by a DST change).
  return postgres_guard([&] {
    TimestampTz result = ts;
    int offset;
    if (months != 0) {
      struct pg_tm tm;
      fsec_t fsec;
      if (timestamp2tm(result, &offset, &tm, &fsec, nullptr, tz) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
      // months since year 0, moved, then back to a year and a month 1..12 (floor division)
      const int64 month_index = static_cast<int64>(tm.tm_year) * MONTHS_PER_YEAR + (tm.tm_mon - 1) + months;
      int64 year = month_index / MONTHS_PER_YEAR, month0 = month_index % MONTHS_PER_YEAR;
      if (month0 < 0) {
        month0 += MONTHS_PER_YEAR;
        --year;
      }
      tm.tm_year = static_cast<int>(year);
      tm.tm_mon = static_cast<int>(month0) + 1;
      const int month_days = day_tab[isleap(tm.tm_year)][tm.tm_mon - 1];
      if (tm.tm_mday > month_days) tm.tm_mday = month_days;  // Jan 31 + 1 month: Feb 28 or 29
      offset = DetermineTimeZoneOffset(&tm, tz);
      if (tm2timestamp(&tm, fsec, &offset, &result) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
    }
    if (day_count != 0) {
      struct pg_tm tm;
      fsec_t fsec;
      if (timestamp2tm(result, &offset, &tm, &fsec, nullptr, tz) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
      const int julian = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) + day_count;
      j2date(julian, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
      offset = DetermineTimeZoneOffset(&tm, tz);
      if (tm2timestamp(&tm, fsec, &offset, &result) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
    }
    result += time;
    if (!IS_VALID_TIMESTAMP(result))
      ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
    return result;
  });
}

}  // namespace pg
}  // namespace loyalty
