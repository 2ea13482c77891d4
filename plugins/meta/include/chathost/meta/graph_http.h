#pragma once
// One Graph or OAuth HTTP exchange over the host's client, and the encodings its URLs and forms
// need. Shared by the Graph client and the token client.

#include <chathost/meta/graph_errors.h>

#include <chathost/sdk/http_client.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chathost::meta {

/// Percent-encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~).
std::string percentEncode(std::string_view s);

/// `name=value&...` with both sides percent-encoded, in the given order (query strings and
/// application/x-www-form-urlencoded bodies).
std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields);

/// Sends `request`. The body of a 2xx answer that is a JSON object; otherwise the GraphError (a
/// transport failure, the parsed error body of a non-2xx answer, or a retryable 502 for a 2xx
/// that is not a JSON object). Never throws.
GraphResult<std::string> exchangeJson(sdk::HttpClient& http, const sdk::HttpRequest& request);

}  // namespace chathost::meta
