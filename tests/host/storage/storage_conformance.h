#pragma once
// The storage conformance suite: one set of tests every backend must pass. A backend test file
// defines conformanceBackend() and links storage_conformance.cpp.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "storage/sql_connection.h"
#include "storage/storage.h"

namespace chathost::host::testing {

/// How to reach one backend from a test. `options(testName)` gives a fresh, empty database for
/// that test (a temp file, a new schema); calling it again with the same name reopens the same.
struct Backend {
  std::string name;
  std::function<StorageOptions(const std::string& testName)> options;
  /// A raw connection to inspect columns the stores never return.
  std::function<std::unique_ptr<SqlConnection>(const StorageOptions&)> raw;
};

inline void PrintTo(const Backend& backend, std::ostream* os) {
  *os << backend.name;
}

/// Defined by each backend's test file; the suite is instantiated with it.
Backend conformanceBackend();

}  // namespace chathost::host::testing
