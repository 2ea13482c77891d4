#include "app/startup_banner.h"

#include "auth/jwt.h"

#include <chrono>
#include <cstdio>

namespace chathost::host {

void printStartupBanner(sdk::Logger& logger, const std::string& baseUrl,
                        const std::string& jwtSecret, const std::string& dataDir) {
  constexpr std::int64_t kTtlSeconds = 12 * 3600;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string token = issueToken(jwtSecret, "admin", {"*"}, kTtlSeconds, now);
  logger.info("no auth.jwt_secret configured: using the generated secret in " + dataDir +
              "/jwt.secret");
  std::string text = "\n  Dashboard (admin token, valid 12 h):\n    " + baseUrl +
                     "/#token=" + token +
                     "\n  API token for scripts:\n    export CHATHOST_TOKEN=" + token +
                     "\n  More tokens: chathost token --subaccount '*' [--config FILE]\n\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace chathost::host
