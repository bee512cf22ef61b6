#include "model_fit_state.hpp"
#include "memory.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "boundary.hpp"

namespace loyalty {
namespace pg {

namespace {

// Small: a GROUP BY with many groups holds one state per group.
constexpr uint64 kInitialCapacity = 16;
constexpr uint32 kSerialMagic = 0x4C594653;  // "LYFS"
constexpr uint32 kSerialVersion = 1;

// The serialised form: this header (unaligned, read with memcpy), then `count` FitRowEntry.
struct SerialHeader {
  uint32 magic;
  uint32 version;
  uint32 model;
  uint32 has_penalizer;
  double penalizer;
  uint64 count;
  double total_weight;
};

// The table grows by doubling when it would be more than 3/4 full.
bool over_load(uint64 count, uint64 capacity) {
  return count > capacity / 4 * 3;
}

// The capacity a table reaches after `count` distinct insertions: a function of the count alone.
uint64 capacity_for(uint64 count) {
  uint64 capacity = kInitialCapacity;
  while (over_load(count, capacity)) {
    capacity *= 2;
    if (capacity > kFitRowsMaxCapacity)
      throw std::length_error("too many distinct rows for a model fit (more than " +
                              std::to_string(kFitRowsMaxCapacity / 4 * 3) +
                              "): round recency and t to a coarser time unit, or fit a sample");
  }
  return capacity;
}

FitRowSlot* allocate_slots(MemoryContext context, uint64 capacity) {
  return static_cast<FitRowSlot*>(allocate(context, capacity * sizeof(FitRowSlot), true, true));
}

uint64 mix(uint64 x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64 bits_of(double v) {
  uint64 b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

uint32 hash_key(const double key[3]) {
  return static_cast<uint32>(
      mix(bits_of(key[0]) ^ mix(bits_of(key[1]) ^ mix(bits_of(key[2]) + 0x9e3779b97f4a7c15ULL))));
}

bool key_equal(const double a[3], const double b[3]) {
  return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

bool key_less(const double a[3], const double b[3]) {
  if (a[0] != b[0]) return a[0] < b[0];
  if (a[1] != b[1]) return a[1] < b[1];
  return a[2] < b[2];
}

// The total order of rows within a cluster of the index, after the home slot: hash, then key.
bool comes_before(const FitRowTable* table, uint32 hash, const double* key, const FitRowSlot& slot) {
  if (hash != slot.hash) return hash < slot.hash;
  return key_less(key, table->rows[slot.row - 1].key);
}

// Robin Hood insertion into `slots` of a row known to be absent. Within a cluster the slots stay ordered by
// (home slot, hash, key): a slot nearer to its home than the one being placed, or as near and ordered after
// it, yields its place and moves on.
void insert_absent(const FitRowTable* table, FitRowSlot* slots, uint64 capacity, FitRowSlot entry) {
  const uint64 mask = capacity - 1;
  uint64 i = entry.hash & mask, distance = 0;
  for (;;) {
    FitRowSlot& slot = slots[i];
    if (slot.row == 0) {
      slot = entry;
      return;
    }
    const uint64 slot_distance = (i - (slot.hash & mask)) & mask;
    if (slot_distance < distance || (slot_distance == distance &&
                                     comes_before(table, entry.hash, table->rows[entry.row - 1].key, slot))) {
      const FitRowSlot displaced = slot;
      slot = entry;
      entry = displaced;
      distance = slot_distance;
    }
    i = (i + 1) & mask;
    ++distance;
  }
}

// The row holding `key`, or nullptr. Thanks to the order within clusters the search stops at the first slot
// that would come after the key.
FitRowEntry* find(const FitRowTable* table, uint32 hash, const double key[3]) {
  const uint64 mask = table->capacity - 1;
  uint64 i = hash & mask, distance = 0;
  for (;;) {
    const FitRowSlot& slot = table->slots[i];
    if (slot.row == 0) return nullptr;
    if (slot.hash == hash && key_equal(table->rows[slot.row - 1].key, key)) return &table->rows[slot.row - 1];
    const uint64 slot_distance = (i - (slot.hash & mask)) & mask;
    if (slot_distance < distance || (slot_distance == distance && comes_before(table, hash, key, slot)))
      return nullptr;
    i = (i + 1) & mask;
    ++distance;
  }
}

void resize_index(FitRowTable* table, uint64 capacity) {
  FitRowSlot* slots = allocate_slots(table->context, capacity);
  for (uint64 i = 0; i < table->capacity; ++i)
    if (table->slots[i].row != 0) insert_absent(table, slots, capacity, table->slots[i]);
  pfree(table->slots);  // cannot raise: a chunk this code allocated
  table->slots = slots;
  table->capacity = capacity;
}

void reserve_rows(FitRowTable* table, uint64 rows) {
  if (rows <= table->rows_capacity) return;
  uint64 capacity = table->rows_capacity;
  while (capacity < rows) capacity *= 2;
  FitRowEntry* grown =
      static_cast<FitRowEntry*>(allocate(table->context, capacity * sizeof(FitRowEntry), true, false));
  std::memcpy(grown, table->rows, table->count * sizeof(FitRowEntry));
  pfree(table->rows);
  table->rows = grown;
  table->rows_capacity = capacity;
}

// Customers are counted exactly up to 2^53 (every whole number up to it is a double); beyond, 22003.
constexpr double kMaxCustomers = 9007199254740992.0;

void add_entry(FitRowTable* table, FitRowEntry entry) {
  for (double& k : entry.key)
    if (k == 0) k = 0;  // -0 and 0 are one row
  if (!(table->total_weight + entry.weight <= kMaxCustomers))
    throw std::out_of_range("model fit: more than 2^53 customers (" + std::to_string(table->total_weight) +
                            " + " + std::to_string(entry.weight) + ")");
  table->total_weight += entry.weight;
  const uint32 hash = hash_key(entry.key);
  if (FitRowEntry* found = find(table, hash, entry.key)) {
    found->weight += entry.weight;
    return;
  }
  // Only a new row may grow the index, so that its capacity is a function of the number of distinct rows.
  if (over_load(table->count + 1, table->capacity)) resize_index(table, capacity_for(table->count + 1));
  reserve_rows(table, table->count + 1);
  table->rows[table->count] = entry;
  ++table->count;
  insert_absent(table, table->slots, table->capacity, FitRowSlot{hash, static_cast<uint32>(table->count)});
}

bool known_model(uint32 model) {
  return model >= static_cast<uint32>(FitModel::bgnbd) && model <= static_cast<uint32>(FitModel::gamma_gamma);
}

[[noreturn]] void invalid_state(const char* detail) {
  throw std::invalid_argument(std::string("invalid model fit state: ") + detail);
}

}  // namespace

FitRowTable* fit_rows_create(MemoryContext context, FitModel model) {
  FitRowTable* table = static_cast<FitRowTable*>(allocate(context, sizeof(FitRowTable), true, true));
  table->model = model;
  table->context = context;
  table->capacity = kInitialCapacity;
  table->slots = allocate_slots(context, kInitialCapacity);
  table->rows_capacity = kInitialCapacity;
  table->rows =
      static_cast<FitRowEntry*>(allocate(context, kInitialCapacity * sizeof(FitRowEntry), true, false));
  return table;
}

void fit_rows_add(FitRowTable* table, const double key[3], double weight) {
  FitRowEntry entry;
  std::memcpy(entry.key, key, sizeof entry.key);
  entry.weight = weight;
  add_entry(table, entry);
}

void fit_rows_set_penalizer(FitRowTable* table, double penalizer) {
  if (!table->has_penalizer) {
    table->has_penalizer = true;
    table->penalizer = penalizer;
  } else if (table->penalizer != penalizer) {
    char message[128];
    snprintf(message, sizeof message, "penalizer must be the same for every row of a group (%g and %g)",
             table->penalizer, penalizer);
    throw std::invalid_argument(message);
  }
}

void fit_rows_merge(FitRowTable* into, const FitRowTable* from) {
  if (into->model != from->model) invalid_state("partial states of different models");
  if (from->has_penalizer) fit_rows_set_penalizer(into, from->penalizer);
  // Grow once to what the larger of the two tables needs (the result has at least that many rows), instead of
  // doubling step by step: the capacity stays the function of the final distinct count that add_entry keeps.
  const uint64 larger = into->count > from->count ? into->count : from->count;
  if (over_load(larger, into->capacity)) resize_index(into, capacity_for(larger));
  reserve_rows(into, larger);
  for (uint64 i = 0; i < from->count; ++i) add_entry(into, from->rows[i]);
}

bytea* fit_rows_serialize(const FitRowTable* table) {
  const uint64 payload = sizeof(SerialHeader) + table->count * sizeof(FitRowEntry);
  if (payload > MaxAllocSize - VARHDRSZ)
    throw std::length_error(
        "too many distinct rows to pass a model fit state between processes (" +
        std::to_string(table->count) +
        "): disable parallel query for this fit (SET max_parallel_workers_per_gather = 0)");
  bytea* bytes = static_cast<bytea*>(allocate(CurrentMemoryContext, VARHDRSZ + payload, true, false));
  SET_VARSIZE(bytes, VARHDRSZ + payload);
  SerialHeader header;
  std::memset(&header, 0, sizeof header);
  header.magic = kSerialMagic;
  header.version = kSerialVersion;
  header.model = static_cast<uint32>(table->model);
  header.has_penalizer = table->has_penalizer ? 1 : 0;
  header.penalizer = table->has_penalizer ? table->penalizer : 0;
  header.count = table->count;
  header.total_weight = table->total_weight;
  char* out = VARDATA(bytes);
  std::memcpy(out, &header, sizeof header);
  out += sizeof header;
  std::memcpy(out, table->rows, table->count * sizeof(FitRowEntry));
  return bytes;
}

FitRowTable* fit_rows_deserialize(const bytea* bytes, MemoryContext context) {
  const uint64 length = VARSIZE_ANY_EXHDR(bytes);
  const char* in = VARDATA_ANY(bytes);
  SerialHeader header;
  if (length < sizeof header) invalid_state("too short");
  std::memcpy(&header, in, sizeof header);
  in += sizeof header;
  if (header.magic != kSerialMagic || header.version != kSerialVersion) invalid_state("unknown format");
  if (!known_model(header.model)) invalid_state("unknown model");
  if (header.has_penalizer > 1 ||
      (header.has_penalizer && !(std::isfinite(header.penalizer) && header.penalizer >= 0)))
    invalid_state("bad penalizer");
  if (header.count > kFitRowsMaxCapacity || (length - sizeof header) != header.count * sizeof(FitRowEntry))
    invalid_state("length does not match the row count");

  FitRowTable* table = static_cast<FitRowTable*>(allocate(context, sizeof(FitRowTable), true, true));
  table->model = static_cast<FitModel>(header.model);
  table->context = context;
  table->has_penalizer = header.has_penalizer != 0;
  table->penalizer = table->has_penalizer ? header.penalizer : 0;
  table->capacity = capacity_for(header.count);
  table->slots = allocate_slots(context, table->capacity);
  table->rows_capacity = header.count > kInitialCapacity ? header.count : kInitialCapacity;
  table->rows =
      static_cast<FitRowEntry*>(allocate(context, table->rows_capacity * sizeof(FitRowEntry), true, false));
  for (uint64 i = 0; i < header.count; ++i) {
    FitRowEntry entry;
    std::memcpy(&entry, in + i * sizeof entry, sizeof entry);
    for (double k : entry.key)
      if (!std::isfinite(k)) invalid_state("non-finite value in a row");
    if (!(std::isfinite(entry.weight) && entry.weight > 0 && entry.weight == std::floor(entry.weight)))
      invalid_state("row weight is not a positive whole number");
    add_entry(table, entry);
  }
  if (table->count != header.count) invalid_state("duplicate rows");
  if (table->total_weight != header.total_weight) invalid_state("weights do not add up");
  return table;
}

}  // namespace pg
}  // namespace loyalty
