// Bounded fit time on the worst inputs found (issue 10): every fit of 100,000 customers within 2 s on the
// project's 2 shared cores (the goal of docs/model_fitting.md, "Bounded work"), asserted with a margin for CI
// noise: a test fails above 6 s of CPU time. The inputs are the hardest tried for each model: every row
// distinct (nothing for the state to merge), continuous times, nobody churning, everyone a one-time buyer,
// huge T, heavy buyers with thousands of purchases, a different frequency for every customer, and for BG/BB
// distinct histories of up to a million opportunities (the one BG/BB input docs/model_fitting.md names as not
// yet within the goal, few purchases over long distinct recencies, is left out). Under a sanitizer the times
// are printed, not asserted (the instrumentation is several times slower).
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bgbb.hpp"
#include "bgnbd.hpp"
#include "customer_simulator.hpp"
#include "mbgnbd.hpp"
#include "pareto_nbd.hpp"

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr std::size_t kCustomers = 100000;
constexpr double kGoalSeconds = 2, kLimitSeconds = 6;

using loyalty::SummaryRow;

// Uniform(0, 1) from a fixed-seed generator: the data are the same on every run and platform.
struct Uniform {
  std::mt19937_64 engine;
  explicit Uniform(std::uint64_t seed) : engine(seed) {}
  double operator()() { return (engine() >> 11) * 0x1.0p-53; }
};

// A gamma(shape, 1) draw by Marsaglia & Tsang (2000) (shape >= 1; boosted for shape < 1), and a Poisson draw
// by inversion for small means, normal approximation for large ones: deterministic given the generator.
double gamma_draw(Uniform& u, double shape) {
  if (shape < 1) return gamma_draw(u, shape + 1) * std::pow(u(), 1 / shape);
  const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      // Box-Muller normal.
      x = std::sqrt(-2 * std::log(1 - u())) * std::cos(2 * M_PI * u());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    if (std::log(1 - u()) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
  }
}
double poisson_draw(Uniform& u, double mean) {
  if (mean > 50) {
    const double z = std::sqrt(-2 * std::log(1 - u())) * std::cos(2 * M_PI * u());
    return std::max(0.0, std::round(mean + std::sqrt(mean) * z));
  }
  double k = 0, p = std::exp(-mean), cumulative = p;
  const double target = u();
  while (target > cumulative && k < 1000) {
    ++k;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

// Continuous-time worst inputs, all rows distinct.
std::vector<SummaryRow> continuous_rows(const std::string& kind) {
  Uniform u(20260101);
  std::vector<SummaryRow> rows;
  rows.reserve(kCustomers);
  if (kind == "bgnbd simulated, continuous") {
    // bgnbd_simulate(1, 5, 1, 3, 40, 100000, 3) with T and t_x made continuous: the case that ran 42 minutes
    // before Pareto/NBD's nodes were chained.
    for (const auto& c : loyalty::simulate_bgnbd({1, 5, 1, 3}, 40, kCustomers, 3)) {
      const double T = c.t + u();
      rows.push_back({c.frequency, c.frequency > 0 ? c.recency + u() * (T - c.recency) : 0, T, 1});
    }
  } else if (kind == "pareto/nbd simulated, continuous") {  // a fit that converges: many full evaluations
    for (const auto& c : loyalty::simulate_pareto_nbd({0.553, 10.578, 0.606, 11.669}, 78, kCustomers, 5)) {
      const double f = 0.01 + 0.99 * u();
      rows.push_back({c.frequency, c.recency * f, c.t * f, 1});
    }
  } else {
    for (std::size_t i = 0; i < kCustomers; ++i) {
      if (kind == "nobody churns") {
        const double T = 10 + 90 * u(), x = poisson_draw(u, gamma_draw(u, 5) / 5 * T);
        rows.push_back({x, x > 0 ? T * std::pow(u(), 1 / x) : 0, T, 1});
      } else if (kind == "one-time buyers") {
        rows.push_back({0, 0, 1 + 1000 * u(), 1});
      } else if (kind == "huge T") {
        const double T = (40 + u()) * 1e6, x = poisson_draw(u, 3);
        rows.push_back({x, x > 0 ? T * u() : 0, T, 1});
      } else if (kind == "heavy buyers") {
        const double T = 10 + 90 * u(), x = poisson_draw(u, gamma_draw(u, 0.5) / 0.5 * 20 * T);
        rows.push_back({x, x > 0 ? T * (1 - 0.5 * u() * u()) : 0, T, 1});
      } else if (kind == "a different frequency each") {
        const double T = 50 + 50 * u();
        rows.push_back({static_cast<double>(i), i > 0 ? T * u() : 0, T, 1});
      }
    }
  }
  return rows;
}

const char* const kContinuousKinds[] = {"bgnbd simulated, continuous",
                                        "pareto/nbd simulated, continuous",
                                        "nobody churns",
                                        "one-time buyers",
                                        "huge T",
                                        "heavy buyers",
                                        "a different frequency each"};

// The limit is asserted on the process's CPU time: the fit is single-threaded, so on an idle machine it is
// the wall time, while on the shared 2-core machines (load 6-8 from other jobs) wall times tripled (measured:
// 6.3 s wall for 1.6 s CPU). Both are printed.
void expect_fast(const std::string& what, const std::function<loyalty::FitReport()>& fit) {
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const loyalty::FitReport report = fit();
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ " << what << ": " << cpu_seconds << " s CPU, " << seconds << " s wall (goal "
            << kGoalSeconds << " s), " << report.iterations << " evaluations, converged " << report.converged
            << " ]" << std::endl;
  EXPECT_TRUE(std::isfinite(report.log_likelihood)) << what;
  if (!kSanitized) {
    EXPECT_LT(cpu_seconds, kLimitSeconds) << what;
  }
}

TEST(FitSpeed, ParetoNbdWorstInputs) {
  for (const char* kind : kContinuousKinds) {
    const std::vector<SummaryRow> rows = continuous_rows(kind);
    expect_fast(std::string("pareto/nbd, ") + kind,
                [&] { return loyalty::fit<loyalty::ParetoNbdParams>(rows).report; });
  }
}

TEST(FitSpeed, BgNbdAndMbgNbdWorstInputs) {
  for (const char* kind : kContinuousKinds) {
    const std::vector<SummaryRow> rows = continuous_rows(kind);
    expect_fast(std::string("bg/nbd, ") + kind,
                [&] { return loyalty::fit<loyalty::BgNbdParams>(rows).report; });
    expect_fast(std::string("mbg/nbd, ") + kind,
                [&] { return loyalty::fit<loyalty::MbgNbdParams>(rows).report; });
  }
}

TEST(FitSpeed, BgBbDistinctHistories) {
  // 100,000 histories of up to 1,000, 10,000 and 1,000,000 opportunities, merged into distinct rows with
  // weights as the SQL aggregate's state merges them: anything, everyone alive, nobody buying again (up to a
  // million: ~95,000 distinct lengths, which took 35 s before the rows of one (x, t_x) shared a chained
  // series).
  for (const double longest : {1e3, 1e4, 1e6})
    for (const std::string kind : {"any", "alive", "none"}) {
      Uniform u(7);
      std::map<std::array<double, 3>, double> counts;
      for (std::size_t i = 0; i < kCustomers; ++i) {
        const double n = std::floor(1 + longest * u());
        const double t_x = kind == "alive" ? n : kind == "none" ? 0 : std::floor(n * u());
        const double x = t_x > 0 ? std::floor(1 + (t_x - 1) * u()) : 0;
        counts[{x, t_x, n}] += 1;
      }
      std::vector<loyalty::BgBbRow> rows;
      for (const auto& [key, weight] : counts) rows.push_back({key[0], key[1], key[2], weight});
      expect_fast("bg/bb, " + kind + ", up to " + std::to_string(static_cast<long>(longest)) +
                      " opportunities (" + std::to_string(rows.size()) + " distinct rows)",
                  [&] { return loyalty::fit<loyalty::BgBbParams>(rows).report; });
    }
}

}  // namespace
