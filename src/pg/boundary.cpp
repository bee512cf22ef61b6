#include "boundary.hpp"

namespace loyalty {
namespace pg {
namespace detail {

ErrorData* run_guarded(void (*call)(void*), void* context) {
  MemoryContext caller_context = CurrentMemoryContext;
  ErrorData* volatile caught = nullptr;
  PG_TRY();
  { call(context); }
  PG_CATCH();
  {
    MemoryContextSwitchTo(caller_context);
    caught = CopyErrorData();
    FlushErrorState();
  }
  PG_END_TRY();
  return caught;
}

}  // namespace detail
}  // namespace pg
}  // namespace loyalty
