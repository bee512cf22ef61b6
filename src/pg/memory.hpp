// Allocation inside LOYALTY_SQL_FUNCTION bodies without a guard: PostgreSQL's allocator with
// MCXT_ALLOC_NO_OOM returns NULL instead of raising when memory runs out, and its only other error (an
// invalid request size) is excluded by checking the size first, so these calls cannot raise. Running out of
// memory throws std::bad_alloc (53200 at the boundary).
#pragma once

#include <new>
#include <type_traits>

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// `size` bytes in `context` (MCXT_ALLOC_HUGE: more than 1 GB allowed), or nullptr when memory runs out or the
// size is beyond what the allocator accepts. Never raises.
inline void* try_allocate(MemoryContext context, Size size, bool huge = false, bool zero = false) {
  if (huge ? !AllocHugeSizeIsValid(size) : !AllocSizeIsValid(size)) return nullptr;
  const int flags = MCXT_ALLOC_NO_OOM | (huge ? MCXT_ALLOC_HUGE : 0) | (zero ? MCXT_ALLOC_ZERO : 0);
  return MemoryContextAllocExtended(context, size, flags);
}

// `size` bytes in `context`, or std::bad_alloc.
inline void* allocate(MemoryContext context, Size size, bool huge = false, bool zero = false) {
  void* p = try_allocate(context, size, huge, zero);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

// `count` objects of the plain type T (uninitialised) in the current memory context, or std::bad_alloc.
template <typename T>
T* allocate_array(Size count, bool huge = false) {
  static_assert(std::is_trivially_copyable_v<T>, "plain types only: palloc'd memory runs no constructor");
  if (count > (huge ? MaxAllocHugeSize : MaxAllocSize) / sizeof(T)) throw std::bad_alloc();
  return static_cast<T*>(allocate(CurrentMemoryContext, sizeof(T) * (count > 0 ? count : 1), huge));
}

}  // namespace pg
}  // namespace loyalty
