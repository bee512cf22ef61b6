#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "customer_summary.hpp"

#include "day_list.hpp"
#include "memory.hpp"

namespace loyalty {
namespace pg {

namespace {

[[noreturn]] void too_many_days() {
  throw std::length_error("more than " + std::to_string(kMaxListDays) +
                          " distinct purchase days for one customer (is the customer column right?)");
}

void replace_chunk(DayList* list, int32* days, int32 capacity) {
  if (list->heap != nullptr) pfree(list->heap);
  list->heap = days;
  list->capacity = capacity;
}

}  // namespace

void day_list_init(DayList* list) {
  list->heap = nullptr;
  list->count = 0;
  list->sorted = 0;
  list->capacity = DayList::kInline;
  list->last_added = loyalty::kNoDay;
}

void day_list_normalize(DayList* list) {
  int32* days = day_list_data(list);
  list->count = static_cast<int32>(loyalty::normalize_days(days, list->sorted, list->count));
  list->sorted = list->count;
  list->last_added = list->count > 0 ? days[list->count - 1] : loyalty::kNoDay;
}

void day_list_add(DayList* list, MemoryContext context, int32 day) {
  if (day == list->last_added) return;  // orders of one day arriving together
  if (list->count == list->capacity) {
    day_list_normalize(list);  // the tail may hold days already listed
    if (list->count == list->capacity) {
      if (list->capacity >= kMaxListDays) too_many_days();
      const int64 grown = list->capacity < 16 ? 16 : 2 * static_cast<int64>(list->capacity);
      const int32 capacity = static_cast<int32>(grown > kMaxListDays ? kMaxListDays : grown);
      auto* bigger = static_cast<int32*>(loyalty::pg::allocate(context, sizeof(int32) * capacity, true));
      memcpy(bigger, day_list_data(list), sizeof(int32) * list->count);
      replace_chunk(list, bigger, capacity);
    }
  }
  int32* days = day_list_data(list);
  const int32 n = list->count;
  const bool extends_prefix = list->sorted == n && (n == 0 || day > list->last_added);
  days[n] = day;
  list->count = n + 1;
  list->last_added = day;
  if (extends_prefix)
    list->sorted = n + 1;
  else if (loyalty::days_need_normalizing(list->sorted, list->count))
    day_list_normalize(list);
}

void day_list_merge(DayList* into, MemoryContext context, DayList* from) {
  day_list_normalize(into);
  day_list_normalize(from);
  if (from->count == 0) return;
  const int64 total = static_cast<int64>(into->count) + from->count;
  if (total > 2 * static_cast<int64>(kMaxListDays)) too_many_days();
  auto* merged = static_cast<int32*>(loyalty::pg::allocate(context, sizeof(int32) * total, true));
  const auto count = static_cast<int64>(
      loyalty::merge_days(day_list_data(into), into->count, day_list_data(from), from->count, merged));
  if (count > kMaxListDays) {
    pfree(merged);
    too_many_days();
  }
  if (count <= DayList::kInline) {  // both lists were short
    memcpy(into->inline_days, merged, sizeof(int32) * count);
    pfree(merged);
    if (into->heap != nullptr) replace_chunk(into, nullptr, DayList::kInline);
  } else {
    replace_chunk(into, merged, static_cast<int32>(total));
  }
  into->count = into->sorted = static_cast<int32>(count);
  into->last_added = day_list_data(into)[count - 1];
}

void day_list_assign(DayList* list, MemoryContext context, const int32* days, int32 count) {
  if (count > kMaxListDays) too_many_days();
  if (count > list->capacity) {
    replace_chunk(list, static_cast<int32*>(loyalty::pg::allocate(context, sizeof(int32) * count, true)),
                  count);
  }
  memcpy(day_list_data(list), days, sizeof(int32) * count);
  list->count = list->sorted = count;
  list->last_added = count > 0 ? days[count - 1] : loyalty::kNoDay;
}

void day_list_free(DayList* list) {
  if (list->heap != nullptr) pfree(list->heap);
  day_list_init(list);
}

}  // namespace pg
}  // namespace loyalty
