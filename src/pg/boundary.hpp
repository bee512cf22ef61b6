// The one place where C++ exceptions and PostgreSQL errors meet.
//
// PostgreSQL reports errors with longjmp, C++ with exceptions; neither may cross the other. The rule is
// structural (the model is pg_duckdb's cpp_wrapper.hpp / PostgresFunctionGuard):
//  - LOYALTY_SQL_FUNCTION(name) { ... } defines an SQL-callable function whose whole body runs inside
//    cpp_boundary: every exception is caught, its message copied out of the exception (to static storage),
//    the try block left so that every C++ object of the body is destroyed, and only then is ereport(ERROR)
//    called, with the SQLSTATE that the exception type maps to.
//  - Inside a body, PostgreSQL code that may raise an error (palloc, detoasting, catalog and type-cache
//    lookups, ereport itself) runs only through postgres_guard(fn). It catches the error with PG_TRY, copies
//    it and throws PostgresError, which cpp_boundary re-raises unchanged (same SQLSTATE, message, detail)
//    once the C++ frames are unwound. `fn` itself must hold no object with a destructor: it is the one frame
//    a longjmp may leave. The binding's own errors are C++ exceptions (SqlStateError for a specific
//    SQLSTATE), and its allocations use MCXT_ALLOC_NO_OOM and throw std::bad_alloc (memory.hpp).
//  - Code that cannot raise (PG_GETARG_FLOAT8 and the other by-value argument macros, PG_ARGISNULL,
//    AggCheckCallContext, reading a flat array that the aggregate owns) needs no guard.
//  - check_for_interrupts() is what core loops call: a cancel or statement_timeout surfaces through
//    postgres_guard as PostgreSQL's own error (57014).
// scripts/check_boundary.py (a CTest test) checks that src/pg keeps to this.
#pragma once

#include <cstdarg>
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
// standard exception mappings below; optionally with a DETAIL and a HINT line.
class SqlStateError : public std::runtime_error {
 public:
  SqlStateError(int sqlstate, const std::string& message)
      : std::runtime_error(message), sqlstate_(sqlstate) {}
  SqlStateError(int sqlstate, const std::string& message, const std::string& detail, const std::string& hint)
      : std::runtime_error(message), sqlstate_(sqlstate), detail_(detail), hint_(hint) {}
  int sqlstate() const { return sqlstate_; }
  const std::string& detail() const { return detail_; }
  const std::string& hint() const { return hint_; }

 private:
  int sqlstate_;
  std::string detail_;
  std::string hint_;
};

// printf-style formatting with PostgreSQL's own snprintf (port.h), as errmsg formats: for messages of
// SqlStateError that must read exactly as the ereport they replace.
inline std::string formatted(const char* format, ...) pg_attribute_printf(1, 2);
inline std::string formatted(const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  const int length = vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  if (length < 0) return format;
  if (static_cast<size_t>(length) < sizeof buffer) return std::string(buffer, length);
  std::string text(static_cast<size_t>(length), '\0');
  va_start(args, format);
  vsnprintf(&text[0], text.size() + 1, format, args);
  va_end(args);
  return text;
}

namespace detail {

// The error context entry that cpp_boundary pushes while its body runs. It adds no CONTEXT line; it only
// marks that a C++ handler is ready to take an exception.
inline void boundary_marker_callback(void*) {}

}  // namespace detail

// Whether the caller runs directly inside a cpp_boundary body: the boundary's marker is the innermost error
// context and no PG_TRY (a postgres_guard, or PostgreSQL code that catches errors) has started since. Then a
// C++ exception reaches the boundary's handler through C++ frames only. PostgreSQL restores both
// error_context_stack and PG_exception_stack when an error unwinds, so a stale marker is never seen.
inline bool inside_cpp_boundary() {
  const ErrorContextCallback* top = error_context_stack;
  return top != nullptr && top->callback == detail::boundary_marker_callback &&
         top->arg == static_cast<void*>(PG_exception_stack);
}

namespace detail {

// Calls call(context) under PG_TRY; returns the PostgreSQL error it raised (a copy in the memory context
// current at the call, the error state flushed), or nullptr. Out of line, so that the frame holding the
// sigjmp_buf has no variable of the caller's that a longjmp could clobber.
ErrorData* run_guarded(void (*call)(void*), void* context);

}  // namespace detail

// Runs PostgreSQL code `fn` from C++ and returns its result. A PostgreSQL error becomes PostgresError. A C++
// exception thrown by `fn` is held until PG_END_TRY has restored PG_exception_stack and error_context_stack,
// then rethrown, so that no PostgreSQL handler is left pointing at a dead frame.
template <typename Fn>
auto postgres_guard(Fn&& fn) -> decltype(fn()) {
  using Result = decltype(fn());
  using Function = std::remove_reference_t<Fn>;
  if constexpr (std::is_void_v<Result>) {
    struct Call {
      Function* fn;
      std::exception_ptr thrown;  // lives here, in a frame that a longjmp never leaves
    } call{&fn, nullptr};
    ErrorData* caught = detail::run_guarded(
        [](void* context) {
          auto* c = static_cast<Call*>(context);
          try {
            (*c->fn)();
          } catch (...) {
            c->thrown = std::current_exception();
          }
        },
        &call);
    if (caught != nullptr) throw PostgresError{caught};
    if (call.thrown) std::rethrow_exception(call.thrown);
  } else {
    static_assert(std::is_trivially_copyable_v<Result>, "postgres_guard returns plain values only");
    struct Call {
      Function* fn;
      std::exception_ptr thrown;
      Result result;
    } call{&fn, nullptr, Result{}};
    ErrorData* caught = detail::run_guarded(
        [](void* context) {
          auto* c = static_cast<Call*>(context);
          try {
            c->result = (*c->fn)();
          } catch (...) {
            c->thrown = std::current_exception();
          }
        },
        &call);
    if (caught != nullptr) throw PostgresError{caught};
    if (call.thrown) std::rethrow_exception(call.thrown);
    return call.result;
  }
}

// Cheap when nothing is pending; otherwise lets PostgreSQL process the interrupt (a cancel becomes
// PostgresError carrying 57014).
inline void check_for_interrupts() {
  if (unlikely(InterruptPending)) postgres_guard([] { CHECK_FOR_INTERRUPTS(); });
}

namespace detail {

// Called in a catch (...) block: copies the exception being handled (its SQLSTATE, message, detail and hint,
// or the PostgreSQL error it carries) to static storage (a backend runs one query at a time, and only the
// outermost boundary reports). Out of line and cold: the boundary's normal path stays a few instructions.
void capture_current_exception() noexcept;

// Raises the captured error with ereport(ERROR) (or ReThrowError for a PostgreSQL error).
[[noreturn]] void raise_captured_error();

}  // namespace detail

// Runs `body` (returning Datum) and converts any C++ exception into ereport(ERROR):
// SqlStateError -> its own code (and detail, hint), invalid_argument/domain_error -> 22023,
// out_of_range -> 22003, length_error -> 54000, bad_alloc -> 53200, anything else -> XX000.
// Called directly inside another boundary's body (inside_cpp_boundary()), it runs `body` as it is and lets
// exceptions reach the outer boundary, which alone reports them: helpers that wrap their C++ work in
// cpp_boundary (counter_array.hpp) serve both C-style callers and LOYALTY_SQL_FUNCTION bodies.
template <typename Body>
Datum cpp_boundary(Body&& body) {
  if (inside_cpp_boundary()) return body();
  ErrorContextCallback marker;
  marker.previous = error_context_stack;
  marker.callback = detail::boundary_marker_callback;
  marker.arg = static_cast<void*>(PG_exception_stack);
  error_context_stack = &marker;
  try {
    const Datum result = body();
    error_context_stack = marker.previous;
    return result;
  } catch (...) {
    detail::capture_current_exception();
  }
  // Every C++ object of the body, and the exception itself, has been destroyed here.
  error_context_stack = marker.previous;
  detail::raise_captured_error();
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
