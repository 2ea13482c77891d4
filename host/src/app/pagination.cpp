#include "app/pagination.h"

#include <charconv>
#include <limits>
#include <string>

namespace chathost::host {
namespace {

bool parseInt(std::string_view text, long long& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

}  // namespace

sdk::Result<Page> parsePage(const sdk::Request& request) {
  Page page;
  long long v = 0;
  if (auto limit = request.queryParam("limit")) {
    if (!parseInt(*limit, v) || v < 1 || v > 200)
      return sdk::Status::validation("limit must be an integer from 1 to 200, got '" +
                                     std::string(*limit) + "'");
    page.limit = static_cast<int>(v);
  }
  if (auto skip = request.queryParam("skip")) {
    if (!parseInt(*skip, v) || v < 0 || v > std::numeric_limits<int>::max())
      return sdk::Status::validation("skip must be a non-negative integer, got '" +
                                     std::string(*skip) + "'");
    page.skip = static_cast<int>(v);
  }
  return page;
}

}  // namespace chathost::host
