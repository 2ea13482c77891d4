#pragma once
// What the openai and http runtimes share about calling a remote endpoint: error mapping and
// keeping secrets out of error messages.

#include <chathost/sdk/http_client.h>
#include <chathost/sdk/status.h>

#include <string>
#include <vector>

namespace chathost::host {

/// `text` with every non-empty secret replaced by its mask, cut to `maxBytes` on a UTF-8 boundary.
std::string scrubSecrets(std::string text, const std::vector<std::string>& secrets,
                         std::size_t maxBytes = 300);

/// A transport failure of the HTTP client as the agent's error: kTimeout stays kTimeout, anything
/// else becomes kApiError. `who` starts the message ("openai agent").
sdk::Status transportFailure(const std::string& who, const sdk::Status& failure, int timeoutMs);

/// A non-2xx answer: the status and `detail` (already scrubbed) when not empty. kApiError, but
/// the permanent refusals (400, 401, 403, 404, 422) carry permanentHttpStatusCode() so that
/// isAgentPermanent() holds (agents/agent_busy.h). A 3xx says redirects are not followed and
/// leaves `detail` (the answer's words) out.
sdk::Status httpStatusFailure(const std::string& who, int status, const std::string& detail);

inline bool isSuccessStatus(int status) {
  return status >= 200 && status < 300;
}

}  // namespace chathost::host
