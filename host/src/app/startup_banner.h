#pragma once

#include <chathost/sdk/logger.h>

#include <string>

namespace chathost::host {

/// With a generated JWT secret (a first run on defaults), prints the dashboard link with a
/// ready admin token to stderr so a new user can open the page at once. The token is printed
/// once, outside the structured log.
void printStartupBanner(sdk::Logger& logger, const std::string& baseUrl,
                        const std::string& jwtSecret, const std::string& dataDir);

}  // namespace chathost::host
