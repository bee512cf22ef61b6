#include <cstring>
#include <limits>
#include <new>

#include "boundary.hpp"
#include "memory.hpp"
#include "session_day.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "pgtime.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
}
#pragma GCC diagnostic pop

namespace loyalty {
namespace pg {

namespace {

constexpr int64 kUnixEpochSecondsSince2000 =
    static_cast<int64>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;

int64 floor_div(int64 a, int64 b) {
  int64 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Seconds east of UTC in the cached zone at UTC second `utc`.
int32 zone_gmtoff(SessionDayCache* cache, int64 utc) {
  ZoneOffsetInterval* iv = cache->intervals;
  int n = cache->interval_count;
  int lo = 0, hi = n;  // the only interval that can hold `utc` is the first one ending after it
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (iv[mid].high <= utc)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < n && iv[lo].low <= utc) return iv[lo].gmtoff;

  pg_time_t t = static_cast<pg_time_t>(utc);
  long before_gmtoff = 0, after_gmtoff = 0;
  int before_isdst = 0, after_isdst = 0;
  pg_time_t boundary = 0;
  const int found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst, &boundary, &after_gmtoff,
                                         &after_isdst, cache->tz);
  if (found < 0) {  // not expected (PostgreSQL's implementation never fails): ask for this one second
    struct pg_tm* tm = pg_localtime(&t, cache->tz);
    return tm == nullptr ? 0 : static_cast<int32>(tm->tm_gmtoff);
  }
  const int64 high = found == 0 ? std::numeric_limits<int64>::max() : static_cast<int64>(boundary);
  if (lo < n && iv[lo].high == high && iv[lo].gmtoff == before_gmtoff) {
    iv[lo].low = utc;  // the same interval, known further back
  } else {
    if (n == SessionDayCache::kMaxIntervals) {  // a long history in a zone with DST: start over
      cache->interval_count = n = 0;
      lo = 0;
    }
    memmove(&iv[lo + 1], &iv[lo], sizeof(ZoneOffsetInterval) * (n - lo));
    iv[lo] = ZoneOffsetInterval{utc, high, static_cast<int32>(before_gmtoff)};
    cache->interval_count = n + 1;
  }
  return static_cast<int32>(before_gmtoff);
}

}  // namespace

void session_day_cache_init(SessionDayCache* cache) {
  cache->tz = session_timezone;
  cache->interval_count = 0;
}

int32 session_local_day(SessionDayCache* cache, TimestampTz ts) {
  if (cache->tz != session_timezone) session_day_cache_init(cache);  // SET TIME ZONE inside the query
  const int64 gmtoff = zone_gmtoff(cache, floor_div(ts, USECS_PER_SEC) + kUnixEpochSecondsSince2000);
  return static_cast<int32>(floor_div(ts + gmtoff * USECS_PER_SEC, USECS_PER_DAY));
}

SessionDayCache* session_day_cache(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<SessionDayCache*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = static_cast<SessionDayCache*>(
        loyalty::pg::allocate(fcinfo->flinfo->fn_mcxt, sizeof(SessionDayCache)));
    session_day_cache_init(cache);
    fcinfo->flinfo->fn_extra = cache;
  }
  return cache;
}

}  // namespace pg
}  // namespace loyalty
