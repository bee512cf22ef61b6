// PostgreSQL's C headers, for the binding layer only (never for src/core).
//
// Included last, after every C++ header, inside extern "C". PostgreSQL 15's headers still use `register`,
// which C++17 rejects: the warning is silenced for these headers only.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
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
