#pragma once
// A blocking HTTP call for black-box tests.

#include <string>
#include <utility>
#include <vector>

namespace chathost::testing {

struct HttpResult {
  int status = 0;  // 0 when the connection failed
  std::string body;
  std::string contentType;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string error;  // transport error, if any
};

HttpResult httpCall(const std::string& method, const std::string& url, const std::string& body = {},
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    int timeoutMs = 10000);

/// `Authorization: Bearer <token>` header list, for convenience.
std::vector<std::pair<std::string, std::string>> bearer(const std::string& token);

}  // namespace chathost::testing
