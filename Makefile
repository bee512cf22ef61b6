# PGXS build of the loyalty extension: the shared library (src/core + src/pg), the install script (the
# fragments of src/sql concatenated in name order) and the pg_regress suite (sql/, expected/).
# The C++ core and its unit tests are also built on their own by CMakeLists.txt.
EXTENSION = loyalty
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = loyalty
CORE_SOURCES = $(sort $(wildcard src/core/*.cpp))
BINDING_SOURCES = $(sort $(wildcard src/pg/*.cpp))
OBJS = $(CORE_SOURCES:.cpp=.o) $(BINDING_SOURCES:.cpp=.o)

# The default version's install script is built from the fragments; released versions' scripts are installed
# as they shipped (src/sql/shipped/, never edited), with the upgrade scripts between versions (docs/upgrades.md).
EXTENSION_SCRIPT = $(EXTENSION)--$(EXTVERSION).sql
DATA_built = $(EXTENSION_SCRIPT)
SHIPPED_SCRIPTS = $(sort $(wildcard src/sql/shipped/$(EXTENSION)--*.sql))
UPGRADE_SCRIPTS = $(sort $(wildcard src/sql/upgrades/$(EXTENSION)--*--*.sql))
DATA = $(SHIPPED_SCRIPTS) $(UPGRADE_SCRIPTS)

# install runs first: it creates the extension the way a user would (as a non-superuser, trusted)
REGRESS = install $(filter-out install,$(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=.

PG_CPPFLAGS = -Isrc/core -Isrc/pg
PG_CXXFLAGS = -std=c++17 -Wno-register
# PGXS links with the C compiler: the C++ runtime must be named. Only the SQL entry points are exported.
SHLIB_LINK = -lstdc++ -lnlopt -Wl,--version-script=$(CURDIR)/src/pg/exports.map
EXTRA_CLEAN = $(EXTENSION_SCRIPT) results regression.diffs regression.out

# No LLVM bitcode for JIT inlining: PGXS would compile the C++ with clang without our flags, and nothing in a
# call into this library is worth inlining into a JIT-compiled expression.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION_SCRIPT): $(sort $(wildcard src/sql/*.sql)) $(EXTENSION).control
	cat $(sort $(wildcard src/sql/*.sql)) > $@

$(OBJS): $(wildcard src/core/*.hpp src/pg/*.hpp)
$(shlib): src/pg/exports.map
