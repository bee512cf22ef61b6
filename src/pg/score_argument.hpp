// Scores of any SQL integer type. nps, nps_stats, csat and rfm_segment have smallint, integer and bigint
// overloads: pandas' to_sql writes BIGINT columns, and a smallint column would match neither of an integer
// and a bigint overload alone (PostgreSQL finds the two equally good). Each overload's support functions read
// the score at the width its SQL declares. Every valid score fits an int; a bigint that does not is outside
// every scale.
#pragma once

#include <limits>
#include <stdexcept>
#include <string>

#include "boundary.hpp"

namespace loyalty {
namespace pg {

enum class ScoreWidth { kSmallint, kInteger, kBigint };

// Argument `argno`, a score of `what` ("nps", "csat", "rfm recency", ...) declared as W. A bigint beyond
// int's range throws std::out_of_range (22003) naming it, as the scales' own range errors do. No PostgreSQL
// call: the score is passed by value.
template <ScoreWidth W>
int score_argument(FunctionCallInfo fcinfo, int argno, const char* what) {
  if constexpr (W == ScoreWidth::kSmallint) {
    return PG_GETARG_INT16(argno);
  } else if constexpr (W == ScoreWidth::kInteger) {
    return PG_GETARG_INT32(argno);
  } else {
    const int64 score = PG_GETARG_INT64(argno);
    if (score < std::numeric_limits<int>::min() || score > std::numeric_limits<int>::max())
      throw std::out_of_range(std::string(what) + " score " + std::to_string(score) + " is out of range");
    return static_cast<int>(score);
  }
}

}  // namespace pg
}  // namespace loyalty
