#include "order_kpis.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace loyalty {

void add_customer(OrderKpiTotals& totals, int32_t first_day, int32_t last_day, int64_t distinct_days,
                  bool has_contact, int64_t microseconds_to_first_order) noexcept {
  ++totals.customers;
  totals.purchase_days += distinct_days;
  totals.span_days += static_cast<int64_t>(last_day) - first_day;
  if (last_day > first_day) ++totals.repeat_customers;
  if (has_contact) {
    ++totals.contact_customers;
    totals.contact_microseconds += microseconds_to_first_order;
  }
}

OrderKpis order_kpis(const OrderKpiTotals& t) {
  if (t.customers < 0 || t.orders < t.customers || t.repeat_customers < 0 ||
      t.repeat_customers > t.customers || t.purchase_days < t.customers || t.purchase_days > t.orders ||
      t.span_days < t.purchase_days - t.customers || t.contact_customers < 0 ||
      t.contact_customers > t.customers || !std::isfinite(t.revenue) ||
      (t.repeat_customers == 0) != (t.purchase_days == t.customers))
    throw std::invalid_argument("order_kpis: inconsistent totals");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  OrderKpis k;
  k.customers = t.customers;
  k.orders = t.orders;
  k.revenue = t.revenue;
  k.repeat_customers = t.repeat_customers;
  k.purchase_days = t.purchase_days;
  k.contact_customers = t.contact_customers;
  const double customers = static_cast<double>(t.customers);
  k.aov = t.orders > 0 ? t.revenue / static_cast<double>(t.orders) : nan;
  k.arpu = t.customers > 0 ? t.revenue / customers : nan;
  k.orders_per_customer = t.customers > 0 ? static_cast<double>(t.orders) / customers : nan;
  k.repeat_purchase_rate = t.customers > 0 ? static_cast<double>(t.repeat_customers) / customers : nan;
  const int64_t gaps = t.purchase_days - t.customers;
  k.mean_days_between_purchases =
      gaps > 0 ? static_cast<double>(t.span_days) / static_cast<double>(gaps) : nan;
  constexpr double kMicrosecondsPerDay = 86400e6;
  k.mean_days_to_first_purchase = t.contact_customers > 0
                                      ? static_cast<double>(t.contact_microseconds) /
                                            static_cast<double>(t.contact_customers) / kMicrosecondsPerDay
                                      : nan;
  return k;
}

}  // namespace loyalty
