#include "storage/sql_connection.h"

#include <charconv>

namespace chathost::host {

std::int64_t SqlRow::integer(std::size_t column) const {
  const std::string& s = cells.at(column);
  if (s.empty()) return 0;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    throw SqlError("column " + std::to_string(column) + " is not an integer", false);
  }
  return v;
}

}  // namespace chathost::host
