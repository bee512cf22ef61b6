/*
 * Preloaded after the ASan runtime into the instrumented server by scripts/sanitize.sh.
 *
 * Why: a preloaded runtime is initialised lazily, by the first malloc of the process. In Debian's postgres that
 * malloc comes from libgpg-error's constructor, inside glibc's bindtextdomain while it holds _nl_state_lock for
 * writing. ASan's initialisation looks up the optional symbol swift_demangle (dlsym) and clears the failure
 * with dlerror(), which translates its message through dcgettext: that takes _nl_state_lock for reading,
 * fails with EDEADLK (the thread holds it), and then unlocks it anyway. bindtextdomain's own unlock then
 * corrupts the lock, and the next bindtextdomain (postgres's own, in main) waits on it forever: `postgres -V`
 * and the server hang before their first line. With this symbol present the lookup succeeds, dlerror has no
 * message to translate, and the lock is left alone. Returning NULL means "not a Swift name", so ASan
 * demangles C++ names as usual.
 */
#include <stddef.h>

char *swift_demangle(const char *name, size_t length, char *out, size_t *out_length, unsigned flags) {
  (void)name;
  (void)length;
  (void)out;
  (void)out_length;
  (void)flags;
  return NULL;
}
