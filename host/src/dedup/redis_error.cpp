#include "dedup/redis_error.h"

#include <array>

namespace chathost::host {

sdk::ErrorCode redisErrorCode(std::string_view replyText) {
  static constexpr std::array<std::string_view, 10> kTransient = {
      "LOADING",  "BUSY",        "MASTERDOWN", "READONLY",  "OOM",
      "TRYAGAIN", "CLUSTERDOWN", "NOAUTH",     "WRONGPASS", "NOPERM"};
  std::string_view word = replyText.substr(0, replyText.find(' '));
  for (std::string_view prefix : kTransient) {
    if (word == prefix) return sdk::ErrorCode::kUnavailable;
  }
  return sdk::ErrorCode::kInternal;
}

}  // namespace chathost::host
