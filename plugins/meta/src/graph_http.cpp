#include <chathost/meta/graph_http.h>

#include <chathost/meta/json_util.h>

namespace chathost::meta {

std::string percentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == '~';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += percentEncode(name) + "=" + percentEncode(value);
  }
  return out;
}

GraphResult<std::string> exchangeJson(sdk::HttpClient& http, const sdk::HttpRequest& request) {
  GraphResult<std::string> out;
  auto res = http.send(request);
  if (!res) {
    out.error =
        transportError(res.status().code() == sdk::ErrorCode::kTimeout, res.status().message());
    return out;
  }
  if (res->status < 200 || res->status >= 300) {
    out.error = parseGraphError(res->status, res->body);
    return out;
  }
  if (!parseObject(res->body)) {
    out.error = parseGraphError(res->status, "");
    out.error.httpStatus = 502;  // an unreadable 2xx is a platform fault: retryable
    out.error.message = "the Graph API answered something that is not a JSON object";
    return out;
  }
  out.value = std::move(res->body);
  return out;
}

}  // namespace chathost::meta
