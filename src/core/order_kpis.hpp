// The loyalty KPIs of an order log in one pass (issue 12): customers, orders, revenue, average order value,
// ARPU, orders per customer, repeat-purchase rate, mean days between consecutive purchase days and mean days
// from first contact to first purchase.
//
// Definitions (a "purchase day" is a calendar day on which a customer ordered; one customer's orders of one
// day are one purchase day):
//   customers              = distinct customers with at least one order
//   orders, revenue        = count and sum of the orders' amounts
//   aov                    = revenue / orders
//   arpu                   = revenue / customers
//   orders_per_customer    = orders / customers
//   repeat_customers       = customers with more than one purchase day (first day < last day)
//   repeat_purchase_rate   = repeat_customers / customers
//   purchase_days          = distinct (customer, purchase day) pairs
//   mean_days_between_purchases = mean over every customer's consecutive purchase days of (day - previous
//   day)
//                            = sum over customers of (last day - first day) / (purchase_days - customers),
//                            the pooled mean of the gaps (what avg(day - lag(day)) gives); NaN without a gap
//   contact_customers      = customers with a first contact time
//   mean_days_to_first_purchase = mean over those customers of (first order time - first contact time) in
//   days
//                            of 86,400 s; NaN without such a customer
//
// Each customer contributes through add_customer once all of its orders are known (the binding keeps a map
// of customers for that). Every total is an integer, so the result does not depend on how the rows were
// split or ordered, except revenue (a sum of doubles, as sum(double precision) is).
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstdint>

namespace loyalty {

struct OrderKpiTotals {
  int64_t customers = 0;
  int64_t orders = 0;
  double revenue = 0;
  int64_t repeat_customers = 0;
  int64_t purchase_days = 0;  // distinct (customer, day) pairs
  int64_t span_days = 0;      // sum of last day - first day
  int64_t contact_customers = 0;
  __int128 contact_microseconds = 0;  // sum of first order - first contact, exact (no overflow in practice)
};

// Adds one customer, known completely: its first and last purchase days, its number of distinct purchase
// days, and whether it has a first contact time with (first order - first contact) in microseconds.
void add_customer(OrderKpiTotals& totals, int32_t first_day, int32_t last_day, int64_t distinct_days,
                  bool has_contact, int64_t microseconds_to_first_order) noexcept;

struct OrderKpis {
  int64_t customers = 0, orders = 0;
  double revenue = 0;
  double aov = 0, arpu = 0, orders_per_customer = 0;
  int64_t repeat_customers = 0;
  double repeat_purchase_rate = 0;
  int64_t purchase_days = 0;
  double mean_days_between_purchases = 0;  // NaN without a repeat purchase day
  int64_t contact_customers = 0;
  double mean_days_to_first_purchase = 0;  // NaN without a first contact
};

// The KPIs of the totals; throws std::invalid_argument when the totals are inconsistent (negative counts,
// more repeat customers than customers, fewer purchase days than customers, ...). customers = 0 is allowed
// (every ratio is NaN).
OrderKpis order_kpis(const OrderKpiTotals& totals);

}  // namespace loyalty
