// PostgreSQL's C headers, for the binding layer only (never for src/core).
//
// Included last, after every C++ header, inside extern "C". The Makefile names PostgreSQL's include folders
// with -isystem, so that their warnings (-Wextra's, and `register`, which C++17 rejects) are not reported;
// the pragmas below do the same for a build that includes them as ordinary headers.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
}
#pragma GCC diagnostic pop
