#pragma once
// One problem found in a config file, with its 1-based position.

#include <string>
#include <vector>

namespace chathost::host {

struct ConfigError {
  std::string file;
  int line = 1;    // 1-based
  int column = 1;  // 1-based
  std::string message;

  /// "FILE:LINE:COLUMN: message".
  std::string format() const;
};

/// Every error formatted, one a line (each line ends with '\n').
std::string formatErrors(const std::vector<ConfigError>& errors);

}  // namespace chathost::host
