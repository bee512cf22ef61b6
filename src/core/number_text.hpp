// Numbers in error messages, written the way a person would ("0.9", "1e+20"), not std::to_string's
// "0.900000".
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <sstream>
#include <string>

namespace loyalty {

inline std::string number_text(double value) {
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}

}  // namespace loyalty
