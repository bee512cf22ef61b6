// The one place where C++ exceptions and PostgreSQL errors meet.
//
// PostgreSQL reports errors with longjmp, C++ with exceptions; neither may cross the other:
//  - cpp_boundary(body) runs C++ code for an SQL-callable function. Every exception is caught, its message is
//    copied to a buffer on the stack, the try block is left so that every C++ object is destroyed, and only
//    then ereport(ERROR) is called, with the SQLSTATE that the exception type maps to.
//  - postgres_guard(fn) is the reverse: it runs PostgreSQL code that may ereport from inside C++ code. The
//    error is caught with PG_TRY, copied, and rethrown as a C++ exception (PostgresError), which cpp_boundary
//    re-raises unchanged (same SQLSTATE and message) once the C++ frames are unwound.
//  - check_for_interrupts() is what core loops call: a cancel or statement_timeout surfaces through
//    postgres_guard as PostgreSQL's own error.
#pragma once

#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// A PostgreSQL error caught inside C++ code; `data` lives in the memory context current when it was caught.
struct PostgresError {
  ErrorData* data;
};

// Runs `fn` (which must not own C++ objects with destructors) and turns a PostgreSQL error into
// PostgresError.
template <typename Fn>
void postgres_guard(Fn&& fn) {
  MemoryContext caller_context = CurrentMemoryContext;
  ErrorData* volatile caught = nullptr;
  PG_TRY();
  { fn(); }
  PG_CATCH();
  {
    MemoryContextSwitchTo(caller_context);
    caught = CopyErrorData();
    FlushErrorState();
  }
  PG_END_TRY();
  if (caught != nullptr) throw PostgresError{caught};
}

// Cheap when nothing is pending; otherwise lets PostgreSQL process the interrupt (a cancel becomes
// PostgresError carrying 57014).
inline void check_for_interrupts() {
  if (unlikely(InterruptPending)) postgres_guard([] { CHECK_FOR_INTERRUPTS(); });
}

// Runs `body` (returning Datum) and converts any C++ exception into ereport(ERROR):
// invalid_argument/domain_error -> 22023, out_of_range -> 22003, length_error -> 54000, bad_alloc -> 53200,
// anything else -> XX000.
template <typename Body>
Datum cpp_boundary(Body&& body) {
  int sqlstate = 0;
  char message[1024];
  ErrorData* postgres_error = nullptr;
  auto keep = [&](int code, const char* what) {
    sqlstate = code;
    snprintf(message, sizeof message, "%s", what);  // PostgreSQL's snprintf: port.h redefines it
  };
  try {
    return body();
  } catch (const PostgresError& e) {
    postgres_error = e.data;
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
  // Every C++ object of the body, and the exception itself, has been destroyed here.
  if (postgres_error != nullptr) ReThrowError(postgres_error);
  ereport(ERROR, (errcode(sqlstate), errmsg("%s", message)));
  pg_unreachable();
}

}  // namespace pg
}  // namespace loyalty
