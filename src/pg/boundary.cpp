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

namespace {

struct CapturedError {
  int sqlstate;
  ErrorData* postgres_error;
  char message[1024];
  char detail[512];
  char hint[512];
};
CapturedError captured;

void keep(int sqlstate, const char* message) {
  captured.sqlstate = sqlstate;
  snprintf(captured.message, sizeof captured.message, "%s", message);  // PostgreSQL's snprintf (port.h)
}

}  // namespace

void capture_current_exception() noexcept {
  captured.postgres_error = nullptr;
  captured.detail[0] = captured.hint[0] = '\0';
  try {
    throw;
  } catch (const PostgresError& e) {
    captured.postgres_error = e.data;
  } catch (const SqlStateError& e) {
    keep(e.sqlstate(), e.what());
    snprintf(captured.detail, sizeof captured.detail, "%s", e.detail().c_str());
    snprintf(captured.hint, sizeof captured.hint, "%s", e.hint().c_str());
  } catch (const std::invalid_argument& e) {
    keep(ERRCODE_INVALID_PARAMETER_VALUE, e.what());
  } catch (const std::domain_error& e) {
    keep(ERRCODE_INVALID_PARAMETER_VALUE, e.what());
  } catch (const std::out_of_range& e) {
    keep(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, e.what());
  } catch (const std::length_error& e) {
    keep(ERRCODE_PROGRAM_LIMIT_EXCEEDED, e.what());
  } catch (const std::bad_alloc&) {
    keep(ERRCODE_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    keep(ERRCODE_INTERNAL_ERROR, e.what());
  } catch (...) {
    keep(ERRCODE_INTERNAL_ERROR, "unexpected C++ exception");
  }
}

void raise_captured_error() {
  if (captured.postgres_error != nullptr) {
    ErrorData* error = captured.postgres_error;
    captured.postgres_error = nullptr;
    ReThrowError(error);
  }
  ereport(ERROR, (errcode(captured.sqlstate), errmsg("%s", captured.message),
                  captured.detail[0] ? errdetail("%s", captured.detail) : 0,
                  captured.hint[0] ? errhint("%s", captured.hint) : 0));
  pg_unreachable();
}

}  // namespace detail
}  // namespace pg
}  // namespace loyalty
