// The extension's module magic block: one per shared library.
#include "postgres_headers.hpp"

extern "C" {
PG_MODULE_MAGIC;
}
