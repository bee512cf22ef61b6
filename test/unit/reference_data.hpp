// Where unit tests find the public reference data sets (../shared/data beside the checkout, or
// $LOYALTY_DATA_DIR). Tests that need them call GTEST_SKIP() with a message when they are absent.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "customer_summary_row.hpp"

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

// The numeric rows of a comma-separated file with a header line (each row's fields in order).
inline std::vector<std::vector<double>> read_numeric_csv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    std::vector<double> row;
    while (std::getline(fields, field, ',')) row.push_back(std::stod(field));
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

// cdnow/cdnow_customers_summary.csv (ID,frequency,recency,T): one SummaryRow of weight 1 per customer.
inline std::vector<loyalty::SummaryRow> read_cdnow_summary(const std::string& path) {
  std::vector<loyalty::SummaryRow> rows;
  for (const std::vector<double>& r : read_numeric_csv(path)) rows.push_back({r.at(1), r.at(2), r.at(3), 1});
  return rows;
}

}  // namespace loyalty_test

// Skips the current test, saying why, when a reference file is missing.
#define LOYALTY_REQUIRE_REFERENCE_FILE(var, relative)                                                        \
  const std::string var = loyalty_test::reference_file(relative);                                            \
  if (var.empty())                                                                                           \
  GTEST_SKIP() << "reference data " << relative << " not found under " << loyalty_test::reference_data_dir() \
               << "; skipped"
