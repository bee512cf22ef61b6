// Customer lifetime value (residual, discounted) from a transaction model and the Gamma-Gamma spend model.
//
// Formula. Over `periods` whole periods of length L (in the data's own time unit: weeks if recency and T are
// in weeks; there is no hidden 30-day month), with discount rate d per period and the customer's history (x,
// t_x, T, mean spend m):
//
//   CLV = sum_{i=1..H} E[M | x, m] (E[X(T, T + i L) | x, t_x, T] - E[X(T, T + (i-1) L) | x, t_x, T]) /
//   (1+d)^i
//
// i.e. the expected purchases of period i, valued at the customer's expected average spend, discounted to T
// by (1+d)^i (the cash flow of period i counted at its end). This is the lifetimes library's
// `GammaGammaFitter.customer_lifetime_value` (Davidson-Pilon, lifetimes, utils._customer_lifetime_value),
// which fixes L = 30 days ("freq" converts the data's unit to days) and discounts the same way; here L is an
// argument. Its separation of spend from transactions (E[M] times E[X]) is the independence assumption of
// Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 42(4),
// section "Model": spend per transaction is independent of the transaction process.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <functional>

#include "gamma_gamma.hpp"
#include "model.hpp"

namespace loyalty {

struct ClvHorizon {
  double periods = 0;        // H: whole periods, a non-negative integer
  double period_length = 1;  // L: in the data's time unit, positive and finite
  double discount_rate = 0;  // d: per period, non-negative and finite
};

// Throws std::invalid_argument naming the values unless H is a non-negative integer (at most 1e6), L > 0 and
// d >= 0, all finite.
void validate_clv_horizon(const ClvHorizon& horizon);

// The formula above for any transaction model: `expected_purchases_within(h)` returns E[X(T, T + h) |
// history] (non-decreasing in h, 0 at h = 0), `expected_spend` is E[M | x, m]. Calls check_interrupt (may be
// empty) every 1000 periods.
double discounted_customer_value(const std::function<double(double)>& expected_purchases_within,
                                 double expected_spend, const ClvHorizon& horizon,
                                 const std::function<void()>& check_interrupt = {});

// The formula with any transaction model that predicts expected purchases (model.hpp), its parameters valid:
// E[X(T, T + h)] from the model's expected_purchases; m is ignored when x = 0 (the population mean spend is
// used). For a discrete-time model t_x and T count transaction opportunities, and so must the period length
// (a positive integer).
double customer_value(const ModelDescription& transactions, const double* transaction_params,
                      const GammaGammaParams& spend, double x, double t_x, double T, double m,
                      const ClvHorizon& horizon, const std::function<void()>& check_interrupt = {});

// The same with the model's own parameter struct, validated.
template <class Params>
double clv(const Params& transactions, const GammaGammaParams& spend, double x, double t_x, double T,
           double m, const ClvHorizon& horizon, const std::function<void()>& check_interrupt = {}) {
  return customer_value(ModelTraits<Params>::model(), checked_parameters(transactions).data(), spend, x, t_x,
                        T, m, horizon, check_interrupt);
}

}  // namespace loyalty
