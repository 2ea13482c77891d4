#include "agents/remote_call.h"

#include "agents/agent_busy.h"
#include "agents/secret_mask.h"

namespace chathost::host {

std::string scrubSecrets(std::string text, const std::vector<std::string>& secrets,
                         std::size_t maxBytes) {
  for (const auto& secret : secrets) {
    if (secret.size() < 4) continue;  // too short to find reliably; never put in messages anyway
    std::string mask = maskSecret(secret);
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + mask.size())) {
      text.replace(pos, secret.size(), mask);
    }
  }
  if (text.size() > maxBytes) {
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += "...";
  }
  return text;
}

sdk::Status transportFailure(const std::string& who, const sdk::Status& failure, int timeoutMs) {
  if (failure.code() == sdk::ErrorCode::kTimeout) {
    return {sdk::ErrorCode::kTimeout,
            who + ": the endpoint did not answer within " + std::to_string(timeoutMs) + " ms"};
  }
  return {sdk::ErrorCode::kApiError,
          who + ": the endpoint could not be reached: " + scrubSecrets(failure.message(), {})};
}

sdk::Status httpStatusFailure(const std::string& who, int status, const std::string& detail) {
  std::string msg = who + ": the endpoint answered HTTP " + std::to_string(status);
  if (status >= 300 && status < 400) {
    // Following it would let an endpoint send the host anywhere, past the egress checks.
    return {sdk::ErrorCode::kApiError, msg + " (a redirect; agent calls never follow redirects)"};
  }
  if (!detail.empty()) msg += ": " + detail;
  if (isPermanentHttpStatus(status)) return {permanentHttpStatusCode(status), msg};
  return {sdk::ErrorCode::kApiError, msg};
}

}  // namespace chathost::host
