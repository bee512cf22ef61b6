// The one place where C++ exceptions and PostgreSQL errors meet.
//
// PostgreSQL reports errors with longjmp, C++ with exceptions; neither may cross the other. The rule is
// structural (the model is pg_duckdb's cpp_wrapper.hpp / PostgresFunctionGuard):
//  - LOYALTY_SQL_FUNCTION(name) { ... } defines an SQL-callable function whose whole body runs inside
//    cpp_boundary: every exception is caught, its message copied to a buffer on the stack, the try block left
//    so that every C++ object of the body is destroyed, and only then is ereport(ERROR) called, with the
//    SQLSTATE that the exception type maps to.
//  - Inside a body, PostgreSQL code that may raise an error (palloc, detoasting, catalog and type-cache
//    lookups, ereport itself) runs only through postgres_guard(fn). It catches the error with PG_TRY, copies
//    it and throws PostgresError, which cpp_boundary re-raises unchanged (same SQLSTATE, message, detail)
//    once the C++ frames are unwound. `fn` itself must hold no object with a destructor: it is the one frame
//    a longjmp may leave.
//  - Code that cannot raise (PG_GETARG_FLOAT8 and the other by-value argument macros, PG_ARGISNULL,
//    AggCheckCallContext, reading a flat array that the aggregate owns) needs no guard.
//  - check_for_interrupts() is what core loops call: a cancel or statement_timeout surfaces through
//    postgres_guard as PostgreSQL's own error (57014).
#pragma once

#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// A PostgreSQL error caught inside C++ code; `data` lives in the memory context current when it was caught.
struct PostgresError {
  ErrorData* data;
};

// An error with an explicit SQLSTATE (ERRCODE_...), for the binding's own checks whose code is none of the
// standard exception mappings below.
class SqlStateError : public std::runtime_error {
 public:
  SqlStateError(int sqlstate, const std::string& message)
      : std::runtime_error(message), sqlstate_(sqlstate) {}
  int sqlstate() const { return sqlstate_; }

 private:
  int sqlstate_;
};

// Runs PostgreSQL code `fn` from C++ and returns its result. A PostgreSQL error becomes PostgresError. A C++
// exception thrown by `fn` is held until PG_END_TRY has restored PG_exception_stack and error_context_stack,
// then rethrown, so that no PostgreSQL handler is left pointing at a dead frame.
template <typename Fn>
auto postgres_guard(Fn&& fn) -> decltype(fn()) {
  using Result = decltype(fn());
  MemoryContext caller_context = CurrentMemoryContext;
  ErrorData* volatile caught = nullptr;
  std::exception_ptr thrown;  // this frame is where the longjmp lands, never one it leaves
  if constexpr (std::is_void_v<Result>) {
    PG_TRY();
    {
      try {
        fn();
      } catch (...) {
        thrown = std::current_exception();
      }
    }
    PG_CATCH();
    {
      MemoryContextSwitchTo(caller_context);
      caught = CopyErrorData();
      FlushErrorState();
    }
    PG_END_TRY();
    if (caught != nullptr) throw PostgresError{caught};
    if (thrown) std::rethrow_exception(thrown);
  } else {
    static_assert(std::is_trivially_copyable_v<Result>, "postgres_guard returns plain values only");
    Result result{};
    PG_TRY();
    {
      try {
        result = fn();
      } catch (...) {
        thrown = std::current_exception();
      }
    }
    PG_CATCH();
    {
      MemoryContextSwitchTo(caller_context);
      caught = CopyErrorData();
      FlushErrorState();
    }
    PG_END_TRY();
    if (caught != nullptr) throw PostgresError{caught};
    if (thrown) std::rethrow_exception(thrown);
    return result;
  }
}

// Cheap when nothing is pending; otherwise lets PostgreSQL process the interrupt (a cancel becomes
// PostgresError carrying 57014).
inline void check_for_interrupts() {
  if (unlikely(InterruptPending)) postgres_guard([] { CHECK_FOR_INTERRUPTS(); });
}

// Runs `body` (returning Datum) and converts any C++ exception into ereport(ERROR):
// SqlStateError -> its own code, invalid_argument/domain_error -> 22023, out_of_range -> 22003,
// length_error -> 54000, bad_alloc -> 53200, anything else -> XX000.
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
  } catch (const SqlStateError& e) {
    keep(e.sqlstate(), e.what());
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

// Defines the SQL-callable C function `name` (exported: the names start with loyalty_) whose body, written
// after the macro as a function of `fcinfo`, runs entirely inside cpp_boundary:
//   LOYALTY_SQL_FUNCTION(loyalty_nps_final) { ... return Float8GetDatum(v); }
#define LOYALTY_SQL_FUNCTION(name)                                                           \
  static Datum name##_body(FunctionCallInfo fcinfo);                                         \
  extern "C" {                                                                               \
  PG_FUNCTION_INFO_V1(name);                                                                 \
  Datum name(PG_FUNCTION_ARGS) {                                                             \
    return ::loyalty::pg::cpp_boundary([fcinfo]() -> Datum { return name##_body(fcinfo); }); \
  }                                                                                          \
  }                                                                                          \
  static Datum name##_body(FunctionCallInfo fcinfo)
