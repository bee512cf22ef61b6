// SQL binding of the project's customer simulator (src/core/customer_simulator.hpp): set-returning functions
// that draw customers from BG/NBD, MBG/NBD, Pareto/NBD or BG/BB with known parameters (the description's
// simulate, found in the dispatch table), optionally with Gamma-Gamma spend, for parameter-recovery tests,
// demos and benchmarks.
#include <cstdint>
#include <vector>

#include "model.hpp"

#include "boundary.hpp"
#include "model_dispatch.hpp"

namespace {

// More than this many customers in one call is ERROR 22003: the core holds them all in memory at once.
constexpr int64 kMaxCustomers = 10000000;

// Arguments: the four model parameters, t (or n_periods), customers, seed [, p, q, v].
Datum simulate(FunctionCallInfo fcinfo, const loyalty::pg::BoundModel& bound) {
  const loyalty::ModelDescription& model = *bound.model;
  const double params[4] = {PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
                            PG_GETARG_FLOAT8(3)};
  const int64 customers = PG_GETARG_INT64(5);
  if (customers < 0 || customers > kMaxCustomers)
    loyalty::pg::postgres_guard([&] {
      ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                      errmsg("customers must be between 0 and %lld (got %lld)",
                             static_cast<long long>(kMaxCustomers), static_cast<long long>(customers)),
                      errhint("Call the function several times with different seeds for more customers.")));
    });
  loyalty::SimulationRequest request;
  request.horizon = model.row_kind == loyalty::RowKind::discrete ? PG_GETARG_INT32(4) : PG_GETARG_FLOAT8(4);
  request.customers = static_cast<size_t>(customers);
  request.seed = static_cast<uint64_t>(PG_GETARG_INT64(6));
  request.simulate_spend = PG_NARGS() >= 10;
  if (request.simulate_spend)
    for (int i = 0; i < 3; ++i) request.spend[i] = PG_GETARG_FLOAT8(7 + i);
  request.check_interrupt = loyalty::pg::check_for_interrupts;
  const std::vector<loyalty::SimulatedRow> rows = model.simulate(params, request);

  // One guard around the whole result: the lambda holds nothing with a destructor (it reads `rows`).
  loyalty::pg::postgres_guard([&] {
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (size_t i = 0; i < rows.size(); ++i) {
      const loyalty::SimulatedRow& r = rows[i];
      Datum values[6] = {Int64GetDatum(static_cast<int64>(i) + 1),
                         Float8GetDatum(r.frequency),
                         Float8GetDatum(r.recency),
                         Float8GetDatum(r.t),
                         Float8GetDatum(r.monetary),
                         BoolGetDatum(r.alive)};
      bool nulls[6] = {false, false, false, false, !request.simulate_spend, false};
      tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
      if ((i & 0xFFF) == 0) CHECK_FOR_INTERRUPTS();  // every 4,096 rows: well under a millisecond
    }
  });
  return Datum(0);
}

}  // namespace

// clang-format off
LOYALTY_MODEL_ENTRY(bgnbd, simulate, simulate) LOYALTY_MODEL_ENTRY(mbgnbd, simulate, simulate)
LOYALTY_MODEL_ENTRY(pareto_nbd, simulate, simulate) LOYALTY_MODEL_ENTRY(bgbb, simulate, simulate)
    // clang-format on
