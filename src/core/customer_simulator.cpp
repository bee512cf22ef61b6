#include "customer_simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "number_text.hpp"

namespace loyalty {
namespace {

// The one parameter validation of the models (model.hpp), labelled "<model> simulation".
void check_parameters(const char* model, std::initializer_list<const char*> names,
                      std::initializer_list<double> values) {
  validate_parameters((std::string(model) + " simulation").c_str(), names.begin(), values.begin(),
                      static_cast<int>(values.size()));
}

void check_horizon(double t) {
  if (!std::isfinite(t) || t <= 0)
    throw std::invalid_argument("simulation horizon t must be positive and finite, got " + number_text(t));
}

void check_periods(int periods) {
  if (periods < 1)
    throw std::invalid_argument("simulation periods must be at least 1, got " + std::to_string(periods));
}

void check_spend(const SimulationOptions& options) {
  if (!options.simulate_spend) return;
  check_parameters("spend", {"p", "q", "v"}, {options.spend.p, options.spend.q, options.spend.v});
}

// SplitMix64 (Steele, Lea & Flood 2014): derives the seed of the independent spend engine from the user's
// seed.
std::uint64_t split_mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// The random draws the models need, from std:: distributions on one std::mt19937_64.
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : engine_(seed) {}

  // U ~ Uniform(0, 1), never 0 (its log is taken).
  double uniform() {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    double x;
    do x = u(engine_);
    while (x == 0);
    return x;
  }

  // log of a Gamma(shape, 1) draw. Small shapes via the identity G(a) = G(a+1) U^(1/a) (as in Marsaglia &
  // Tsang 2000, ACM TOMS 26(3)) in logs, so that a draw far below the smallest double is still usable for
  // Beta draws.
  double log_gamma(double shape) {
    if (shape >= 1) return std::log(std::gamma_distribution<double>(shape, 1.0)(engine_));
    const double g = std::gamma_distribution<double>(shape + 1, 1.0)(engine_);
    return std::log(g) + std::log(uniform()) / shape;
  }

  // Gamma(shape, rate); may underflow to 0 for tiny shapes (then the rate it draws is 0).
  double gamma(double shape, double rate) { return std::exp(log_gamma(shape)) / rate; }

  // Beta(a, b) = X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b), computed from the logs.
  double beta(double a, double b) {
    const double lx = log_gamma(a), ly = log_gamma(b);
    return 1 / (1 + std::exp(ly - lx));
  }

  double exponential(double rate) { return std::exponential_distribution<double>(rate)(engine_); }

  bool bernoulli(double p) { return std::bernoulli_distribution(p)(engine_); }

  // Number of failures before the first success, probability p in (0, 1).
  long long geometric(double p) { return std::geometric_distribution<long long>(p)(engine_); }

 private:
  std::mt19937_64 engine_;
};

// The most random steps (customers, purchases, opportunities) one simulation may take: ~2-5 s of work.
// Beyond, 54000: parameters such as r = 1e308 (a purchase rate so large that every customer buys without end)
// or a billion opportunities for each of many customers would otherwise run for hours.
constexpr std::size_t kMaxSimulationSteps = 200000000;

// Counts the steps of a simulation: calls check_interrupt every 10,000 (well under a millisecond), and
// throws std::length_error beyond kMaxSimulationSteps.
class InterruptTicker {
 public:
  explicit InterruptTicker(const std::function<void()>& f) : f_(f) {}
  void tick() {
    if (++count_ % 10000 != 0) return;
    if (f_) f_();
    if (count_ > kMaxSimulationSteps)
      throw std::length_error(
          "simulation exceeds its limit of 200,000,000 random steps (customers, purchases and "
          "opportunities): "
          "the parameters make customers buy (or live) almost without end; lower the horizon, the customers "
          "or the purchase rate");
  }

 private:
  const std::function<void()>& f_;
  std::size_t count_ = 0;
};

// Gamma-Gamma values for `purchases` purchases (the first included); fills monetary with the mean of the
// repeat ones and, when recording, transaction_values.
template <class Customer>
void add_spend(Customer& c, std::size_t purchases, Draws& spend_draws, const SimulationOptions& options) {
  if (!options.simulate_spend) return;
  const double nu = spend_draws.gamma(options.spend.q, options.spend.v);
  double repeat_sum = 0;
  for (std::size_t j = 0; j < purchases; ++j) {
    // nu can underflow to 0 for an absurdly small q: values are then unbounded; report them as infinite.
    const double value =
        nu > 0 ? spend_draws.gamma(options.spend.p, nu) : std::numeric_limits<double>::infinity();
    if (j > 0) repeat_sum += value;
    if (options.record_transactions) c.transaction_values.push_back(value);
  }
  c.monetary = purchases > 1 ? repeat_sum / static_cast<double>(purchases - 1) : 0;
  if (!std::isfinite(c.monetary))
    throw std::out_of_range("simulated spend is out of range for the spend parameters (p " +
                            number_text(options.spend.p) + ", q " + number_text(options.spend.q) + ", v " +
                            number_text(options.spend.v) + ")");
}

// Purchases at rate lambda after the first one at time 0, up to time `end`; with a dropout probability
// (>= 0) the customer may leave after each repeat purchase. Returns the purchases, the first included.
std::size_t poisson_purchases(Draws& draws, InterruptTicker& ticker, double lambda, double end,
                              double dropout, bool record, SimulatedCustomer& c) {
  std::size_t purchases = 1;
  if (!(lambda > 0)) return purchases;
  // A customer expected to buy more often than the whole budget (a rate of 1e308, or an infinite one from an
  // alpha of 5e-324) would only exhaust it, slowly (the gaps between purchases are subnormal numbers): at
  // once. With a dropout chance p the purchases are also at most ~1/p.
  if (lambda * end > static_cast<double>(kMaxSimulationSteps) &&
      (dropout < 0 || dropout * static_cast<double>(kMaxSimulationSteps) < 1))
    throw std::length_error(
        "simulation exceeds its limit of 200,000,000 random steps: a customer's purchase "
        "rate " +
        number_text(lambda) + " over the horizon " + number_text(end) +
        " means more purchases than that; lower the horizon or the purchase rate");
  double now = 0;
  while (true) {
    ticker.tick();
    now += draws.exponential(lambda);
    if (now > end) break;
    ++purchases;
    c.recency = now;
    if (record) c.transaction_times.push_back(now);
    if (dropout >= 0 && draws.bernoulli(dropout)) {
      c.alive = false;
      break;
    }
  }
  return purchases;
}

// `customers` customers drawn in order from one engine by `draw(customer, draws, ticker)`, which returns the
// purchases (the first included); spend comes from its own engine afterwards. Each customer is handed to
// `emit` as soon as it is drawn, so that the rows of a large simulation are not held twice.
template <class Customer, class Draw, class Emit>
void simulate_customers(std::size_t customers, std::uint64_t seed, const SimulationOptions& options,
                        Draw&& draw, Emit&& emit) {
  check_spend(options);
  Draws draws(seed), spend_draws(split_mix(seed));
  InterruptTicker ticker(options.check_interrupt);
  for (std::size_t i = 0; i < customers; ++i) {
    ticker.tick();
    Customer c;
    if (options.record_transactions) c.transaction_times.push_back(0);
    const std::size_t purchases = draw(c, draws, ticker);
    c.frequency = static_cast<double>(purchases - 1);
    add_spend(c, purchases, spend_draws, options);
    emit(std::move(c));
  }
}

// The customers as a vector (the public functions), or as plain rows (the model descriptions).
template <class Customer>
struct Collect {
  std::vector<Customer>* out;
  void operator()(Customer&& c) const { out->push_back(std::move(c)); }
};
template <class Customer>
struct CollectRows {
  std::vector<SimulatedRow>* out;
  double Customer::*time;
  void operator()(Customer&& c) const {
    out->push_back({c.frequency, c.recency, c.*time, c.monetary, c.alive});
  }
};

// BG/NBD and MBG/NBD share everything but the coin at time 0.
template <class Emit>
void simulate_beta_geometric(const char* model, const BgNbdSimulationParams& params, double t,
                             std::size_t customers, std::uint64_t seed, const SimulationOptions& options,
                             bool drop_at_start, Emit&& emit) {
  check_parameters(model, {"r", "alpha", "a", "b"}, {params.r, params.alpha, params.a, params.b});
  check_horizon(t);
  simulate_customers<SimulatedCustomer>(
      customers, seed, options,
      [&](SimulatedCustomer& c, Draws& draws, InterruptTicker& ticker) -> std::size_t {
        const double lambda = draws.gamma(params.r, params.alpha);
        const double p = draws.beta(params.a, params.b);
        c.t = t;
        if (drop_at_start && draws.bernoulli(p)) {
          c.alive = false;  // MBG/NBD: gone right after the first purchase
          return 1;
        }
        return poisson_purchases(draws, ticker, lambda, t, p, options.record_transactions, c);
      },
      emit);
}

template <class Emit>
void simulate_pareto_nbd_each(const ParetoNbdSimulationParams& params, double t, std::size_t customers,
                              std::uint64_t seed, const SimulationOptions& options, Emit&& emit) {
  check_parameters("pareto_nbd", {"r", "alpha", "s", "beta"},
                   {params.r, params.alpha, params.s, params.beta});
  check_horizon(t);
  simulate_customers<SimulatedCustomer>(
      customers, seed, options,
      [&](SimulatedCustomer& c, Draws& draws, InterruptTicker& ticker) {
        const double lambda = draws.gamma(params.r, params.alpha);
        const double mu = draws.gamma(params.s, params.beta);
        const double lifetime = mu > 0 ? draws.exponential(mu) : std::numeric_limits<double>::infinity();
        c.t = t;
        c.alive = lifetime > t;
        return poisson_purchases(draws, ticker, lambda, std::min(lifetime, t), -1,
                                 options.record_transactions, c);
      },
      emit);
}

template <class Emit>
void simulate_bgbb_each(const BgBbSimulationParams& params, int periods, std::size_t customers,
                        std::uint64_t seed, const SimulationOptions& options, Emit&& emit) {
  check_parameters("bgbb", {"alpha", "beta", "gamma", "delta"},
                   {params.alpha, params.beta, params.gamma, params.delta});
  check_periods(periods);
  simulate_customers<SimulatedDiscreteCustomer>(
      customers, seed, options,
      [&](SimulatedDiscreteCustomer& c, Draws& draws, InterruptTicker& ticker) {
        const double p = draws.beta(params.alpha, params.beta);
        const double theta = draws.beta(params.gamma, params.delta);
        c.periods = periods;
        std::size_t purchases = 1;
        for (int opportunity = 1; opportunity <= periods; ++opportunity) {
          ticker.tick();
          // FHS 2010: a customer dies at the start of an opportunity with probability theta, before she can
          // buy.
          if (draws.bernoulli(theta)) {
            c.alive = false;
            break;
          }
          if (draws.bernoulli(p)) {
            ++purchases;
            c.recency = opportunity;
            if (options.record_transactions) c.transaction_times.push_back(opportunity);
          }
        }
        return purchases;
      },
      emit);
}

// A simulation's customers, reserved up front when they are few enough to be certain (the request's
// customers are at most 10 million in SQL).
template <class Customer>
std::vector<Customer> reserved(std::size_t customers) {
  std::vector<Customer> out;
  out.reserve(std::min<std::size_t>(customers, 10000000));
  return out;
}

// What `simulate(emit)` emits, gathered as customers, or as plain rows with `time` as their T.
template <class Customer, class Simulate>
std::vector<Customer> collected(std::size_t customers, Simulate&& simulate) {
  std::vector<Customer> out = reserved<Customer>(customers);
  simulate(Collect<Customer>{&out});
  return out;
}
template <class Customer, class Simulate>
std::vector<SimulatedRow> collected_rows(std::size_t customers, double Customer::*time, Simulate&& simulate) {
  std::vector<SimulatedRow> out = reserved<SimulatedRow>(customers);
  simulate(CollectRows<Customer>{&out, time});
  return out;
}

}  // namespace

std::vector<SimulatedCustomer> simulate_bgnbd(const BgNbdSimulationParams& params, double t,
                                              std::size_t customers, std::uint64_t seed,
                                              const SimulationOptions& options) {
  return collected<SimulatedCustomer>(customers, [&](auto emit) {
    simulate_beta_geometric("bgnbd", params, t, customers, seed, options, false, emit);
  });
}

std::vector<SimulatedCustomer> simulate_mbgnbd(const BgNbdSimulationParams& params, double t,
                                               std::size_t customers, std::uint64_t seed,
                                               const SimulationOptions& options) {
  return collected<SimulatedCustomer>(customers, [&](auto emit) {
    simulate_beta_geometric("mbgnbd", params, t, customers, seed, options, true, emit);
  });
}

std::vector<SimulatedCustomer> simulate_pareto_nbd(const ParetoNbdSimulationParams& params, double t,
                                                   std::size_t customers, std::uint64_t seed,
                                                   const SimulationOptions& options) {
  return collected<SimulatedCustomer>(
      customers, [&](auto emit) { simulate_pareto_nbd_each(params, t, customers, seed, options, emit); });
}

std::vector<SimulatedDiscreteCustomer> simulate_bgbb(const BgBbSimulationParams& params, int periods,
                                                     std::size_t customers, std::uint64_t seed,
                                                     const SimulationOptions& options) {
  return collected<SimulatedDiscreteCustomer>(
      customers, [&](auto emit) { simulate_bgbb_each(params, periods, customers, seed, options, emit); });
}

std::vector<SimulatedContract> simulate_sbg(const SbgSimulationParams& params, int periods,
                                            std::size_t customers, std::uint64_t seed,
                                            const std::function<void()>& check_interrupt) {
  check_parameters("sbg", {"alpha", "beta"}, {params.alpha, params.beta});
  check_periods(periods);
  Draws draws(seed);
  InterruptTicker ticker(check_interrupt);
  std::vector<SimulatedContract> out(customers);
  for (SimulatedContract& c : out) {
    ticker.tick();
    const double theta = draws.beta(params.alpha, params.beta);
    // T = 1 + (renewals before the first cancellation) ~ 1 + Geometric(theta).
    double lost_in;
    if (theta >= 1)
      lost_in = 1;
    else if (theta <= 0)
      lost_in = std::numeric_limits<double>::infinity();
    else
      lost_in = 1 + static_cast<double>(draws.geometric(theta));
    if (lost_in <= periods) {
      c.tenure = lost_in;
      c.churned = true;
    } else {
      c.tenure = periods;
      c.churned = false;
    }
  }
  return out;
}

namespace {

SimulationOptions simulation_options(const SimulationRequest& request) {
  SimulationOptions options;
  options.check_interrupt = request.check_interrupt;
  options.simulate_spend = request.simulate_spend;
  options.spend = {request.spend[0], request.spend[1], request.spend[2]};
  return options;
}

}  // namespace

std::vector<SimulatedRow> simulate_bgnbd_rows(const double* p, const SimulationRequest& r) {
  return collected_rows(r.customers, &SimulatedCustomer::t, [&](auto emit) {
    simulate_beta_geometric("bgnbd", {p[0], p[1], p[2], p[3]}, r.horizon, r.customers, r.seed,
                            simulation_options(r), false, emit);
  });
}

std::vector<SimulatedRow> simulate_mbgnbd_rows(const double* p, const SimulationRequest& r) {
  return collected_rows(r.customers, &SimulatedCustomer::t, [&](auto emit) {
    simulate_beta_geometric("mbgnbd", {p[0], p[1], p[2], p[3]}, r.horizon, r.customers, r.seed,
                            simulation_options(r), true, emit);
  });
}

std::vector<SimulatedRow> simulate_pareto_nbd_rows(const double* p, const SimulationRequest& r) {
  return collected_rows(r.customers, &SimulatedCustomer::t, [&](auto emit) {
    simulate_pareto_nbd_each({p[0], p[1], p[2], p[3]}, r.horizon, r.customers, r.seed, simulation_options(r),
                             emit);
  });
}

std::vector<SimulatedRow> simulate_bgbb_rows(const double* p, const SimulationRequest& r) {
  return collected_rows(r.customers, &SimulatedDiscreteCustomer::periods, [&](auto emit) {
    simulate_bgbb_each({p[0], p[1], p[2], p[3]}, static_cast<int>(r.horizon), r.customers, r.seed,
                       simulation_options(r), emit);
  });
}

}  // namespace loyalty
