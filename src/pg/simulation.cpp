// SQL binding of the project's customer simulator (src/core/customer_simulator.hpp): set-returning functions
// that draw customers from BG/NBD, MBG/NBD, Pareto/NBD or BG/BB with known parameters, optionally with
// Gamma-Gamma spend, for parameter-recovery tests, demos and benchmarks.
//
// The simulation runs inside cpp_boundary and copies its customers into a palloc'd array of plain rows; the
// core's vector is gone before the rows are written to the tuplestore (which may ereport).
#include <cstdint>
#include <vector>

#include "customer_simulator.hpp"

#include "boundary.hpp"

namespace {

// More than this many customers in one call is ERROR 22003: the core holds them all in memory at once.
constexpr int64 kMaxCustomers = 10000000;

enum class SimulatedModel { bgnbd, mbgnbd, pareto_nbd, bgbb };

struct SimulatedRow {
  double frequency, recency, t, monetary;
  bool alive;
};

template <typename Customer>
void keep_rows(const std::vector<Customer>& customers, double Customer::*time, SimulatedRow* out) {
  for (size_t i = 0; i < customers.size(); ++i) {
    const Customer& c = customers[i];
    out[i] = {c.frequency, c.recency, c.*time, c.monetary, c.alive};
  }
}

// Arguments: the four model parameters, t (or n_periods), customers, seed [, p, q, v].
Datum simulate(FunctionCallInfo fcinfo, SimulatedModel model) {
  const double p0 = PG_GETARG_FLOAT8(0), p1 = PG_GETARG_FLOAT8(1), p2 = PG_GETARG_FLOAT8(2),
               p3 = PG_GETARG_FLOAT8(3);
  const double horizon = model == SimulatedModel::bgbb ? PG_GETARG_INT32(4) : PG_GETARG_FLOAT8(4);
  const int64 customers = PG_GETARG_INT64(5);
  const uint64_t seed = static_cast<uint64_t>(PG_GETARG_INT64(6));
  const bool with_spend = PG_NARGS() >= 10;
  if (customers < 0 || customers > kMaxCustomers)
    ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("customers must be between 0 and %lld (got %lld)",
                           static_cast<long long>(kMaxCustomers), static_cast<long long>(customers)),
                    errhint("Call the function several times with different seeds for more customers.")));
  SimulatedRow* rows = static_cast<SimulatedRow*>(
      MemoryContextAllocExtended(CurrentMemoryContext, sizeof(SimulatedRow) * (customers > 0 ? customers : 1),
                                 MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM));
  if (rows == nullptr) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));

  loyalty::pg::cpp_boundary([&] {
    loyalty::SimulationOptions options;
    options.check_interrupt = loyalty::pg::check_for_interrupts;
    if (with_spend) {
      options.simulate_spend = true;
      options.spend = {PG_GETARG_FLOAT8(7), PG_GETARG_FLOAT8(8), PG_GETARG_FLOAT8(9)};
    }
    const size_t n = static_cast<size_t>(customers);
    switch (model) {
      case SimulatedModel::bgnbd:
        keep_rows(loyalty::simulate_bgnbd({p0, p1, p2, p3}, horizon, n, seed, options),
                  &loyalty::SimulatedCustomer::t, rows);
        break;
      case SimulatedModel::mbgnbd:
        keep_rows(loyalty::simulate_mbgnbd({p0, p1, p2, p3}, horizon, n, seed, options),
                  &loyalty::SimulatedCustomer::t, rows);
        break;
      case SimulatedModel::pareto_nbd:
        keep_rows(loyalty::simulate_pareto_nbd({p0, p1, p2, p3}, horizon, n, seed, options),
                  &loyalty::SimulatedCustomer::t, rows);
        break;
      case SimulatedModel::bgbb:
        keep_rows(loyalty::simulate_bgbb({p0, p1, p2, p3}, static_cast<int>(horizon), n, seed, options),
                  &loyalty::SimulatedDiscreteCustomer::periods, rows);
        break;
    }
    return Datum(0);
  });

  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  for (int64 i = 0; i < customers; ++i) {
    const SimulatedRow& r = rows[i];
    Datum values[6] = {Int64GetDatum(i + 1), Float8GetDatum(r.frequency), Float8GetDatum(r.recency),
                       Float8GetDatum(r.t),  Float8GetDatum(r.monetary),  BoolGetDatum(r.alive)};
    bool nulls[6] = {false, false, false, false, !with_spend, false};
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    if ((i & 0xFFFF) == 0) CHECK_FOR_INTERRUPTS();
  }
  pfree(rows);
  return Datum(0);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_bgnbd_simulate);
Datum loyalty_bgnbd_simulate(PG_FUNCTION_ARGS) {
  return simulate(fcinfo, SimulatedModel::bgnbd);
}

PG_FUNCTION_INFO_V1(loyalty_mbgnbd_simulate);
Datum loyalty_mbgnbd_simulate(PG_FUNCTION_ARGS) {
  return simulate(fcinfo, SimulatedModel::mbgnbd);
}

PG_FUNCTION_INFO_V1(loyalty_pareto_nbd_simulate);
Datum loyalty_pareto_nbd_simulate(PG_FUNCTION_ARGS) {
  return simulate(fcinfo, SimulatedModel::pareto_nbd);
}

PG_FUNCTION_INFO_V1(loyalty_bgbb_simulate);
Datum loyalty_bgbb_simulate(PG_FUNCTION_ARGS) {
  return simulate(fcinfo, SimulatedModel::bgbb);
}

}  // extern "C"
