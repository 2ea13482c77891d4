#include "outbound/http_target.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>

namespace chathost::host {

std::string HttpTarget::origin() const {
  return scheme + "://" + host + ":" + std::to_string(port);
}

std::string HttpTarget::describe() const {
  return origin() + path;
}

sdk::Result<HttpTarget> parseHttpTarget(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    return sdk::Status::validation("http client: malformed URL");
  }
  HttpTarget target;
  target.scheme = uri.getScheme();
  if (target.scheme != "http" && target.scheme != "https") {
    return sdk::Status::validation("http client: URL must be absolute http:// or https://");
  }
  target.host = uri.getHost();
  if (target.host.empty()) return sdk::Status::validation("http client: URL without host");
  target.port = uri.getPort();
  if (target.port <= 0 || target.port > 65535) {
    return sdk::Status::validation("http client: bad port in URL");
  }
  target.path = uri.getPath().empty() ? "/" : uri.getPath();
  target.pathAndQuery = uri.getPathAndQuery();
  if (target.pathAndQuery.empty() || target.pathAndQuery[0] != '/') {
    target.pathAndQuery = "/" + target.pathAndQuery;
  }
  return target;
}

namespace {

bool isTokenChar(unsigned char c) {
  static const std::string kSeparators = "()<>@,;:\\\"/[]?={} \t";
  return c > 32 && c < 127 && kSeparators.find(static_cast<char>(c)) == std::string::npos;
}

}  // namespace

sdk::Status checkRequestHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return isTokenChar(static_cast<unsigned char>(c));
        })) {
      return sdk::Status::validation("http client: invalid header name");
    }
    if (value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
      // The value is not echoed: it may be a credential.
      return sdk::Status::validation("http client: header " + name + " holds a line break");
    }
  }
  return sdk::Status::ok();
}

bool isManagedHeader(const std::string& name) {
  return sdk::equalsIgnoreCase(name, "Content-Length") ||
         sdk::equalsIgnoreCase(name, "Transfer-Encoding") ||
         sdk::equalsIgnoreCase(name, "Connection") || sdk::equalsIgnoreCase(name, "Host");
}


bool mayRetryOnFreshConnection(sdk::Method method, bool reusedConnection, bool serverClosedEarly) {
  return method == sdk::Method::kGet && reusedConnection && serverClosedEarly;
}

}  // namespace chathost::host
