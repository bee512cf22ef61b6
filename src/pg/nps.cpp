// SQL binding of the NPS aggregates: nps(score), nps_stats(score), nps_stats(score, confidence).
//
// State: float8[] [promoters, passives, detractors] (+ [confidence] for nps_stats with a level), see
// src/core/counter_state.hpp. Transition and inverse functions are STRICT, so NULL scores never reach them.
#include "nps.hpp"

#include "counter_state.hpp"
#include "normal_interval.hpp"

#include "boundary.hpp"
#include "counter_array.hpp"

namespace {

constexpr int kCounters = loyalty::kNpsCategories;
constexpr double kDefaultConfidence = 0.95;

// Adds (sign = +1) or removes (sign = -1) one score; the state has `length` elements.
Datum nps_step(FunctionCallInfo fcinfo, int length, double sign) {
  ArrayType* array;
  double* values = loyalty::pg::counter_array_transition_arg(fcinfo, length, kCounters, "nps", &array);
  const int32 score = PG_GETARG_INT32(1);
  const bool with_confidence = length > kCounters && sign > 0;
  const double confidence = with_confidence ? PG_GETARG_FLOAT8(2) : 0;
  return loyalty::pg::cpp_boundary([&] {
    if (with_confidence) {
      loyalty::two_sided_normal_quantile(confidence);  // validates the level on the first row
      loyalty::counter_state_set_parameter(&values[kCounters], confidence, "confidence level");
    }
    values[loyalty::nps_category(score)] += sign;
    return PointerGetDatum(array);
  });
}

Datum nps_combine(FunctionCallInfo fcinfo, int length) {
  ArrayType* into;
  double* a = loyalty::pg::counter_array_arg(fcinfo, 0, length, kCounters, "nps", &into);
  const double* b = loyalty::pg::counter_array_arg(fcinfo, 1, length, kCounters, "nps", nullptr);
  return loyalty::pg::cpp_boundary([&] {
    loyalty::counter_state_combine(a, b, kCounters, length - kCounters, "confidence level");
    return PointerGetDatum(into);
  });
}

loyalty::NpsCounts counts_of(const double* values) {
  loyalty::NpsCounts c;
  c.promoters = values[loyalty::kNpsPromoter];
  c.passives = values[loyalty::kNpsPassive];
  c.detractors = values[loyalty::kNpsDetractor];
  return c;
}

// The nps_stats composite (nps, respondents, promoters, passives, detractors, std_error, ci_low, ci_high) of
// a state of `length` elements; NULL when nobody answered.
Datum nps_stats_result(FunctionCallInfo fcinfo, int length) {
  const double* values = loyalty::pg::counter_array_arg(fcinfo, 0, length, kCounters, "nps", nullptr);
  const loyalty::NpsCounts counts = counts_of(values);
  if (counts.respondents() == 0) PG_RETURN_NULL();
  const double confidence = length > kCounters ? values[kCounters] : kDefaultConfidence;

  TupleDesc tupdesc;
  if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("nps_stats must return a composite")));
  BlessTupleDesc(tupdesc);

  loyalty::NpsSummary summary;
  loyalty::pg::cpp_boundary([&] {
    summary = loyalty::summarize_nps(counts, confidence);
    return Datum(0);
  });
  Datum fields[8] = {Float8GetDatum(summary.nps),
                     Int64GetDatum(static_cast<int64>(counts.respondents())),
                     Int64GetDatum(static_cast<int64>(counts.promoters)),
                     Int64GetDatum(static_cast<int64>(counts.passives)),
                     Int64GetDatum(static_cast<int64>(counts.detractors)),
                     Float8GetDatum(summary.std_error),
                     Float8GetDatum(summary.ci_low),
                     Float8GetDatum(summary.ci_high)};
  bool nulls[8] = {false, false, false, false, false, false, false, false};
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, fields, nulls)));
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(loyalty_nps_accum);
Datum loyalty_nps_accum(PG_FUNCTION_ARGS) {
  return nps_step(fcinfo, kCounters, +1);
}

PG_FUNCTION_INFO_V1(loyalty_nps_retract);
Datum loyalty_nps_retract(PG_FUNCTION_ARGS) {
  return nps_step(fcinfo, kCounters, -1);
}

PG_FUNCTION_INFO_V1(loyalty_nps_confidence_accum);
Datum loyalty_nps_confidence_accum(PG_FUNCTION_ARGS) {
  return nps_step(fcinfo, kCounters + 1, +1);
}

PG_FUNCTION_INFO_V1(loyalty_nps_confidence_retract);
Datum loyalty_nps_confidence_retract(PG_FUNCTION_ARGS) {
  return nps_step(fcinfo, kCounters + 1, -1);
}

PG_FUNCTION_INFO_V1(loyalty_nps_combine);
Datum loyalty_nps_combine(PG_FUNCTION_ARGS) {
  return nps_combine(fcinfo, kCounters);
}

PG_FUNCTION_INFO_V1(loyalty_nps_confidence_combine);
Datum loyalty_nps_confidence_combine(PG_FUNCTION_ARGS) {
  return nps_combine(fcinfo, kCounters + 1);
}

PG_FUNCTION_INFO_V1(loyalty_nps_final);
Datum loyalty_nps_final(PG_FUNCTION_ARGS) {
  const double* values = loyalty::pg::counter_array_arg(fcinfo, 0, kCounters, kCounters, "nps", nullptr);
  const loyalty::NpsCounts counts = counts_of(values);
  if (counts.respondents() == 0) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(loyalty::net_promoter_score(counts));
}

PG_FUNCTION_INFO_V1(loyalty_nps_stats_final);
Datum loyalty_nps_stats_final(PG_FUNCTION_ARGS) {
  return nps_stats_result(fcinfo, kCounters);
}

PG_FUNCTION_INFO_V1(loyalty_nps_confidence_stats_final);
Datum loyalty_nps_confidence_stats_final(PG_FUNCTION_ARGS) {
  return nps_stats_result(fcinfo, kCounters + 1);
}

}  // extern "C"
