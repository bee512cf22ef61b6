// Boost.Math configured for code that runs inside a database backend: no special function throws.
//
// Boost's default policy throws on domain, pole, overflow and evaluation errors. Here every such error sets
// errno and returns NaN/inf (or a best guess with errno = EDOM for evaluation errors), so that the caller
// decides what an error means. Use the functions of namespace loyalty::math and the distributions of
// loyalty::dist (declared below with the project policy), reset errno before a call and test it and
// std::isfinite after.
//
// Pure C++: this header must never include a PostgreSQL header.
#pragma once

#include <boost/math/distributions.hpp>
#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions.hpp>

namespace loyalty {
namespace math {

using project_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
    boost::math::policies::pole_error<boost::math::policies::errno_on_error>,
    boost::math::policies::overflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::evaluation_error<boost::math::policies::errno_on_error>,
    boost::math::policies::rounding_error<boost::math::policies::errno_on_error>,
    // Doubles are computed in double: long double would double the cost of every likelihood evaluation.
    boost::math::policies::promote_double<false>>;

// lgamma, digamma, beta, ibeta, ... bound to project_policy.
BOOST_MATH_DECLARE_SPECIAL_FUNCTIONS(project_policy)

}  // namespace math

// normal, gamma, beta, students_t, ... (double) bound to project_policy; cdf/quantile are found by ADL.
namespace dist {
BOOST_MATH_DECLARE_DISTRIBUTIONS(double, math::project_policy)
}  // namespace dist

}  // namespace loyalty
