// SQL binding of the NPS aggregates: nps(score), nps_stats(score), nps_stats(score, confidence).
//
// State: float8[] [promoters, passives, detractors] (+ [confidence] for nps_stats with a level), see
// src/core/counter_state.hpp. Transition and inverse functions are STRICT, so NULL scores never reach them.
// The per-row path makes no PostgreSQL call that can raise (float8_state_transition_arg): no guard per row.
#include "nps.hpp"

#include "counter_state.hpp"
#include "normal_interval.hpp"

#include "boundary.hpp"
#include "float8_state.hpp"
#include "result_tuple.hpp"
#include "score_argument.hpp"

namespace {

using loyalty::pg::Float8State;
using loyalty::pg::ScoreWidth;

constexpr int kCounters = loyalty::kNpsCategories;
constexpr double kDefaultConfidence = 0.95;

constexpr loyalty::pg::Float8StateShape state_shape(int length) {
  return loyalty::pg::float8_state_of_length("nps", length);
}

// Adds (sign = +1) or removes (sign = -1) one score of SQL type W; the state has `length` elements.
template <ScoreWidth W>
Datum nps_step(FunctionCallInfo fcinfo, int length, double sign) {
  const Float8State state = loyalty::pg::float8_state_transition_arg(fcinfo, state_shape(length), kCounters);
  const int score = loyalty::pg::score_argument<W>(fcinfo, 1, "nps");
  if (length > kCounters && sign > 0) {
    const double confidence = PG_GETARG_FLOAT8(2);
    loyalty::two_sided_normal_quantile(confidence);  // validates the level
    loyalty::counter_state_set_parameter(&state.values[kCounters], confidence, "confidence level");
  }
  double& counter = state.values[loyalty::nps_category(score)];
  if (sign < 0 && counter < 1)  // only by hand: an aggregate removes only the rows it added
    loyalty::pg::invalid_float8_state("nps", "removing a score that was never added");
  counter += sign;
  return PointerGetDatum(state.array);
}

Datum nps_combine(FunctionCallInfo fcinfo, int length) {
  const Float8State into =
      loyalty::pg::float8_state_counter_arg(fcinfo, 0, state_shape(length), kCounters, true);
  const Float8State from =
      loyalty::pg::float8_state_counter_arg(fcinfo, 1, state_shape(length), kCounters, false);
  loyalty::counter_state_combine(into.values, from.values, kCounters, length - kCounters, "confidence level");
  return PointerGetDatum(into.array);
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
  const Float8State state =
      loyalty::pg::float8_state_counter_arg(fcinfo, 0, state_shape(length), kCounters, false);
  const loyalty::NpsCounts counts = counts_of(state.values);
  if (counts.respondents() == 0) PG_RETURN_NULL();
  const double confidence = length > kCounters ? state.values[kCounters] : kDefaultConfidence;
  const loyalty::pg::ResultType& type = loyalty::pg::result_type(
      fcinfo, {-1, ERRCODE_FEATURE_NOT_SUPPORTED, "nps_stats must return a composite", false});
  const loyalty::NpsSummary summary = loyalty::summarize_nps(counts, confidence);
  const Datum fields[8] = {Float8GetDatum(summary.nps),
                           Int64GetDatum(static_cast<int64>(counts.respondents())),
                           Int64GetDatum(static_cast<int64>(counts.promoters)),
                           Int64GetDatum(static_cast<int64>(counts.passives)),
                           Int64GetDatum(static_cast<int64>(counts.detractors)),
                           Float8GetDatum(summary.std_error),
                           Float8GetDatum(summary.ci_low),
                           Float8GetDatum(summary.ci_high)};
  const bool nulls[8] = {false, false, false, false, false, false, false, false};
  return loyalty::pg::form_result_tuple(type.desc, fields, nulls);
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_nps_accum) {
  return nps_step<ScoreWidth::kInteger>(fcinfo, kCounters, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_accum_int2) {
  return nps_step<ScoreWidth::kSmallint>(fcinfo, kCounters, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_accum_int8) {
  return nps_step<ScoreWidth::kBigint>(fcinfo, kCounters, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_retract) {
  return nps_step<ScoreWidth::kInteger>(fcinfo, kCounters, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_retract_int2) {
  return nps_step<ScoreWidth::kSmallint>(fcinfo, kCounters, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_retract_int8) {
  return nps_step<ScoreWidth::kBigint>(fcinfo, kCounters, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_accum) {
  return nps_step<ScoreWidth::kInteger>(fcinfo, kCounters + 1, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_accum_int2) {
  return nps_step<ScoreWidth::kSmallint>(fcinfo, kCounters + 1, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_accum_int8) {
  return nps_step<ScoreWidth::kBigint>(fcinfo, kCounters + 1, +1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_retract) {
  return nps_step<ScoreWidth::kInteger>(fcinfo, kCounters + 1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_retract_int2) {
  return nps_step<ScoreWidth::kSmallint>(fcinfo, kCounters + 1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_retract_int8) {
  return nps_step<ScoreWidth::kBigint>(fcinfo, kCounters + 1, -1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_combine) {
  return nps_combine(fcinfo, kCounters);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_combine) {
  return nps_combine(fcinfo, kCounters + 1);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_final) {
  const Float8State state =
      loyalty::pg::float8_state_counter_arg(fcinfo, 0, state_shape(kCounters), kCounters, false);
  const loyalty::NpsCounts counts = counts_of(state.values);
  if (counts.respondents() == 0) PG_RETURN_NULL();
  return Float8GetDatum(loyalty::net_promoter_score(counts));
}

LOYALTY_SQL_FUNCTION(loyalty_nps_stats_final) {
  return nps_stats_result(fcinfo, kCounters);
}

LOYALTY_SQL_FUNCTION(loyalty_nps_confidence_stats_final) {
  return nps_stats_result(fcinfo, kCounters + 1);
}
