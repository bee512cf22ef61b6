// customer_state_trigger(state_table, customer_column, ordered_at_column, amount_column [, state_column]):
// keeps a table of customer_state values (one row per customer, key column named like the orders' customer
// column, with a unique index on it; state column `state` unless named) current on INSERT into an orders
// table.
//
//   FOR EACH ROW, AFTER INSERT: one upsert per order, customer_state_add on the stored state (a prepared plan
//   per
//     trigger, kept for the session).
//   FOR EACH STATEMENT, AFTER INSERT, REFERENCING NEW TABLE: the statement's orders aggregated per customer
//   with
//     customer_state_agg, then one upsert per customer merging with customer_state_merge: the form for bulk
//     loads.
//   UPDATE (row level): allowed when the customer, time and amount of the order stay the same; otherwise, and
//   for
//     DELETE and TRUNCATE, an error (0A000): a state cannot forget an order.
// Orders without a customer, time or amount are skipped, as the aggregates ignore them.
//
// Everything PostgreSQL here (SPI, catalog lookups, ereport) runs inside postgres_guard lambdas written as
// plain C-style code: no C++ object with a destructor is alive where an error may jump.
#include "boundary.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wregister"
extern "C" {
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/datum.h"
#include "utils/regproc.h"
#include "utils/rel.h"
}
#pragma GCC diagnostic pop

namespace {

// The row-level upsert plan of one trigger, kept for the session (TopMemoryContext); found by trigger and
// column types, so that a changed table prepares a new plan.
struct RowPlan {
  Oid trigger;
  Oid types[3];
  SPIPlanPtr plan;
};
constexpr int kMaxRowPlans = 64;
RowPlan* row_plans = nullptr;
int row_plan_count = 0;

const char* trigger_arg(const Trigger* trigger, int i, const char* fallback) {
  return i < trigger->tgnargs ? trigger->tgargs[i] : fallback;
}

// "schema"."table" from the (possibly qualified) name the user wrote.
const char* quoted_table(const char* name) {
  List* parts = stringToQualifiedNameList(name);
  StringInfoData out;
  initStringInfo(&out);
  ListCell* cell;
  bool first = true;
  foreach (cell, parts) {
    appendStringInfo(&out, "%s%s", first ? "" : ".", quote_identifier(strVal(lfirst(cell))));
    first = false;
  }
  return out.data;
}

int column_number(TupleDesc desc, const char* column, const char* table) {
  const int attnum = SPI_fnumber(desc, column);
  if (attnum <= 0)
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("customer_state_trigger: column \"%s\" not found in \"%s\"", column, table)));
  return attnum;
}

[[noreturn]] void refuse(const char* what, const char* table) {
  ereport(
      ERROR,
      (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
       errmsg(
           "customer_state_trigger: %s on \"%s\" is not supported: a customer state cannot forget an order",
           what, table),
       errhint(
           "Recompute the customers concerned from the orders with customer_state_agg, e.g. UPDATE the "
           "state table SET state = (SELECT customer_state_agg(...) FROM orders WHERE customer = ...).")));
  pg_unreachable();
}

void run_trigger(FunctionCallInfo fcinfo) {
  if (!CALLED_AS_TRIGGER(fcinfo))
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("customer_state_trigger: not called by the trigger manager")));
  auto* data = reinterpret_cast<TriggerData*>(fcinfo->context);
  const Trigger* trigger = data->tg_trigger;
  const TriggerEvent event = data->tg_event;
  const char* orders_table = RelationGetRelationName(data->tg_relation);
  if (!TRIGGER_FIRED_AFTER(event))
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("customer_state_trigger must be an AFTER trigger")));
  if (trigger->tgnargs < 4 || trigger->tgnargs > 5)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("customer_state_trigger takes 4 or 5 arguments: state table, customer column, order "
                    "time column, amount column [, state column]")));
  if (TRIGGER_FIRED_BY_DELETE(event)) refuse("DELETE", orders_table);
  if (TRIGGER_FIRED_BY_TRUNCATE(event)) refuse("TRUNCATE", orders_table);

  TupleDesc desc = RelationGetDescr(data->tg_relation);
  const char* customer = trigger_arg(trigger, 1, "");
  const int columns[3] = {column_number(desc, customer, orders_table),
                          column_number(desc, trigger_arg(trigger, 2, ""), orders_table),
                          column_number(desc, trigger_arg(trigger, 3, ""), orders_table)};

  if (TRIGGER_FIRED_BY_UPDATE(event)) {
    if (!TRIGGER_FIRED_FOR_ROW(event)) refuse("a statement-level UPDATE trigger", orders_table);
    for (int c : columns) {  // an update that leaves customer, time and amount alone changes no state
      bool old_null, new_null;
      const Datum old_value = SPI_getbinval(data->tg_trigtuple, desc, c, &old_null);
      const Datum new_value = SPI_getbinval(data->tg_newtuple, desc, c, &new_null);
      const Form_pg_attribute attr = TupleDescAttr(desc, c - 1);
      if (old_null != new_null ||
          (!old_null && !datumIsEqual(old_value, new_value, attr->attbyval, attr->attlen)))
        refuse("an UPDATE changing the customer, time or amount of an order", orders_table);
    }
    return;
  }

  const char* schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
  const char* state_table = quoted_table(trigger_arg(trigger, 0, ""));
  const char* key = quote_identifier(customer);
  const char* state = quote_identifier(trigger_arg(trigger, 4, "state"));
  const char* ordered_at = quote_identifier(trigger_arg(trigger, 2, ""));
  const char* amount = quote_identifier(trigger_arg(trigger, 3, ""));

  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "customer_state_trigger: SPI_connect failed");
  if (!TRIGGER_FIRED_FOR_ROW(event)) {
    if (trigger->tgnewtable == nullptr)
      ereport(
          ERROR,
          (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
           errmsg("customer_state_trigger: a statement-level trigger needs REFERENCING NEW TABLE AS ...")));
    SPI_register_trigger_data(data);
    StringInfoData sql;
    initStringInfo(&sql);
    appendStringInfo(
        &sql,
        "INSERT INTO %s AS s (%s, %s) SELECT %s, %s.customer_state_agg(%s::timestamptz, %s::float8) "
        "FROM %s WHERE %s IS NOT NULL AND %s IS NOT NULL AND %s IS NOT NULL GROUP BY %s ORDER BY %s "
        "ON CONFLICT (%s) DO UPDATE SET %s = %s.customer_state_merge(s.%s, EXCLUDED.%s)",
        state_table, key, state, key, schema, ordered_at, amount, quote_identifier(trigger->tgnewtable), key,
        ordered_at, amount, key, key, key, state, schema, state, state);
    if (SPI_execute(sql.data, false, 0) != SPI_OK_INSERT)
      elog(ERROR, "customer_state_trigger: the state upsert failed");
  } else {
    Datum values[3];
    bool nulls[3];
    Oid types[3];
    for (int i = 0; i < 3; ++i) {
      values[i] = SPI_getbinval(data->tg_trigtuple, desc, columns[i], &nulls[i]);
      types[i] = SPI_gettypeid(desc, columns[i]);
    }
    if (!nulls[0] && !nulls[1] && !nulls[2]) {
      RowPlan* found = nullptr;
      for (int i = 0; i < row_plan_count; ++i)
        if (row_plans[i].trigger == trigger->tgoid && memcmp(row_plans[i].types, types, sizeof types) == 0)
          found = &row_plans[i];
      if (found == nullptr) {
        StringInfoData sql;
        initStringInfo(&sql);
        appendStringInfo(
            &sql,
            "INSERT INTO %s AS s (%s, %s) VALUES ($1, %s.customer_state_add(NULL, $2::timestamptz, "
            "$3::float8)) ON CONFLICT (%s) DO UPDATE SET %s = "
            "%s.customer_state_add(s.%s, $2::timestamptz, $3::float8)",
            state_table, key, state, schema, key, state, schema, state);
        SPIPlanPtr plan = SPI_prepare(sql.data, 3, types);
        if (plan == nullptr)
          elog(ERROR, "customer_state_trigger: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
        if (row_plans == nullptr)
          row_plans =
              static_cast<RowPlan*>(MemoryContextAlloc(TopMemoryContext, sizeof(RowPlan) * kMaxRowPlans));
        if (row_plan_count == kMaxRowPlans) {  // many triggers in one session: forget the oldest
          SPI_freeplan(row_plans[0].plan);
          memmove(&row_plans[0], &row_plans[1], sizeof(RowPlan) * (kMaxRowPlans - 1));
          --row_plan_count;
        }
        if (SPI_keepplan(plan) != 0) elog(ERROR, "customer_state_trigger: SPI_keepplan failed");
        found = &row_plans[row_plan_count++];
        found->trigger = trigger->tgoid;
        memcpy(found->types, types, sizeof types);
        found->plan = plan;
      }
      if (SPI_execute_plan(found->plan, values, nullptr, false, 0) != SPI_OK_INSERT)
        elog(ERROR, "customer_state_trigger: the state upsert failed");
    }
  }
  if (SPI_finish() != SPI_OK_FINISH) elog(ERROR, "customer_state_trigger: SPI_finish failed");
}

}  // namespace

LOYALTY_SQL_FUNCTION(loyalty_customer_state_trigger) {
  loyalty::pg::postgres_guard([&] { run_trigger(fcinfo); });
  // AFTER triggers' results are ignored; the row (or NULL for statement level) is the convention.
  auto* data = reinterpret_cast<TriggerData*>(fcinfo->context);
  return PointerGetDatum(TRIGGER_FIRED_FOR_ROW(data->tg_event) ? data->tg_trigtuple : nullptr);
}
