// The state of the model-fit aggregates (bgnbd_fit, bgbb_fit, gamma_gamma_fit, ...): the distinct input rows,
// each with the number of customers that share it, so that memory grows with distinct (frequency, recency, t)
// triples, not with customers.
//
// The rows are stored in insertion order in one array, and found through an open-addressing hash index
// (linear probing, Robin Hood order) of 8-byte slots, both allocated in the aggregate's memory context. The
// index's clusters are kept sorted by (home slot, hash, key), which makes its layout a function of the set of
// keys and of the capacity alone, whatever the order of insertion (Amble & Knuth 1974, "Ordered hash tables";
// Blelloch & Golovin 2007, "Strongly history-independent hashing"); the capacity only ever doubles at fixed
// loads, so it too depends only on the number of distinct rows. Reading the rows in index order
// (fit_rows_row_at) therefore gives the same order for a serial scan and for any parallel plan whose partial
// tables were combined: the fit sums in the same order and returns bit-identical results.
//
// Errors are C++ exceptions, for cpp_boundary to report (std::bad_alloc 53200 when memory runs out,
// std::length_error 54000 past the row limit, std::invalid_argument 22023 for a malformed serialised state or
// mixed penalizers); the PostgreSQL calls it makes (allocation without OOM errors, pfree of its own chunks)
// cannot raise, so it is safe inside LOYALTY_SQL_FUNCTION bodies and cheap per row.
#pragma once

#include <cstdint>

#include "postgres_headers.hpp"

namespace loyalty {
namespace pg {

// Which aggregate a state belongs to, written in its serialised form.
enum class FitModel : uint32 { bgnbd = 1, mbgnbd = 2, pareto_nbd = 3, bgbb = 4, gamma_gamma = 5 };

// One distinct input row: (frequency, recency, t) for the continuous-time models, (frequency, recency,
// n_periods) for BG/BB, (frequency, monetary, 0) for Gamma-Gamma; weight = customers sharing it (> 0).
struct FitRowEntry {
  double key[3];
  double weight;
};

// One slot of the hash index: the low 32 bits of the row's hash and its position in `rows` plus one (0:
// empty).
struct FitRowSlot {
  uint32 hash;
  uint32 row;
};

struct FitRowTable {
  FitModel model;
  bool has_penalizer;
  double penalizer;     // meaningful when has_penalizer
  uint64 count;         // distinct rows
  double total_weight;  // customers
  FitRowEntry* rows;    // count rows in insertion order
  uint64 rows_capacity;
  FitRowSlot* slots;      // the hash index
  uint64 capacity;        // slots, a power of two
  MemoryContext context;  // where rows and slots are allocated
};

// The row of slot `i` in index order (slot order is canonical), or nullptr for an empty slot.
inline const FitRowEntry* fit_rows_row_at(const FitRowTable* table, uint64 i) {
  const uint32 row = table->slots[i].row;
  return row == 0 ? nullptr : &table->rows[row - 1];
}

// Index slots at most (the rows are at most 3/4 of it, about 100 million distinct rows, 4 GB): more is
// std::length_error.
constexpr uint64 kFitRowsMaxCapacity = uint64{1} << 27;

// An empty table in `context`.
FitRowTable* fit_rows_create(MemoryContext context, FitModel model);

// Adds `weight` customers with row `key` (merged with an identical row). The key must be finite (validated by
// the caller); -0 is stored as 0.
void fit_rows_add(FitRowTable* table, const double key[3], double weight);

// Records the group's penalizer; std::invalid_argument when the group already has a different one.
void fit_rows_set_penalizer(FitRowTable* table, double penalizer);

// into += from (rows, weights and penalizer); std::invalid_argument when the models or penalizers differ.
void fit_rows_merge(FitRowTable* into, const FitRowTable* from);

// The table as bytes (header, then the rows), in the current context; std::length_error beyond 1 GB.
bytea* fit_rows_serialize(const FitRowTable* table);

// A table in `context` from fit_rows_serialize's bytes, checked before it is trusted: an error for a wrong
// header or length, a non-finite key, a weight that is not a positive whole number, or totals that disagree
// (std::invalid_argument).
// The rows' meaning (recency <= t, ...) is checked by the caller with the model's own validation.
FitRowTable* fit_rows_deserialize(const bytea* bytes, MemoryContext context);

}  // namespace pg
}  // namespace loyalty
