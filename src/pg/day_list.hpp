// One customer's distinct purchase days, kept in PostgreSQL memory: a plain struct (no constructor or
// destructor, so it may live in aggregate states and move with them) holding four days inline and more in a
// chunk of its own. Days are appended unsorted and folded into a sorted prefix from time to time
// (src/core/customer_summary.hpp: normalize_days), so memory grows with distinct days, not orders.
//
// These functions never raise a PostgreSQL error: allocation uses MCXT_ALLOC_NO_OOM and throws std::bad_alloc
// (53200), and a list longer than kMaxListDays throws std::length_error (54000). They are meant for
// LOYALTY_SQL_FUNCTION bodies.
#pragma once

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// About 27,000 years of daily purchases: only a missing GROUP BY customer gets near it.
constexpr int32 kMaxListDays = 10000000;

struct DayList {
  static constexpr int32 kInline = 4;
  int32* heap;  // nullptr: the days are in inline_days
  int32 count;
  int32 sorted;  // days[0, sorted) is strictly increasing
  int32 capacity;
  int32 last_added;
  int32 inline_days[kInline];
};

// An empty list.
void day_list_init(DayList* list);

inline int32* day_list_data(DayList* list) {
  return list->heap != nullptr ? list->heap : list->inline_days;
}

// Adds `day` (a repeated day costs nothing once normalised); a chunk, when needed, comes from `context`.
void day_list_add(DayList* list, MemoryContext context, int32 day);

// Sorts the list and removes repeated days (the set is unchanged).
void day_list_normalize(DayList* list);

// into := into union from (both normalised first); memory from `context`.
void day_list_merge(DayList* into, MemoryContext context, DayList* from);

// Replaces the list with `count` days (strictly increasing) copied from `days`.
void day_list_assign(DayList* list, MemoryContext context, const int32* days, int32 count);

// Frees the list's chunk, if any.
void day_list_free(DayList* list);

}  // namespace pg
}  // namespace loyalty
