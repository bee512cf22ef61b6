// Where unit tests find the public reference data sets (../shared/data beside the checkout, or
// $LOYALTY_DATA_DIR). Tests that need them call GTEST_SKIP() with a message when they are absent.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

namespace loyalty_test {

inline std::string reference_data_dir() {
  const char* env = std::getenv("LOYALTY_DATA_DIR");
  if (env && *env) return env;
  return LOYALTY_DEFAULT_DATA_DIR;
}

// Full path of a file below the data folder, or "" when it is not there.
inline std::string reference_file(const std::string& relative) {
  std::string path = reference_data_dir() + "/" + relative;
  std::ifstream probe(path);
  return probe.good() ? path : std::string();
}

}  // namespace loyalty_test

// Skips the current test, saying why, when a reference file is missing.
#define LOYALTY_REQUIRE_REFERENCE_FILE(var, relative)                                                        \
  const std::string var = loyalty_test::reference_file(relative);                                            \
  if (var.empty())                                                                                           \
  GTEST_SKIP() << "reference data " << relative << " not found under " << loyalty_test::reference_data_dir() \
               << "; skipped"
