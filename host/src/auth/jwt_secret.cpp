#include "auth/jwt_secret.h"

#include <filesystem>
#include <optional>

#include "secrets/private_file.h"
#include "secrets/random.h"

namespace chathost::host {
namespace {

constexpr const char* kFileName = "jwt.secret";
constexpr const char* kWhat = "JWT secret file";
constexpr std::size_t kGeneratedBytes = 48;

std::string withoutTrailingBlanks(std::string s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

sdk::Status checkJwtSecretStrength(const std::string& secret) {
  if (secret.size() >= kMinJwtSecretBytes) return sdk::Status::ok();
  return sdk::Status::validation("JWT secret is too short (" + std::to_string(secret.size()) +
                                 " bytes, at least " + std::to_string(kMinJwtSecretBytes) +
                                 " are required); generate one with: openssl rand -hex 32");
}

sdk::Result<std::string> loadOrCreateJwtSecret(const std::string& dataDir) {
  if (dataDir.empty()) return sdk::Status::validation("data directory for the JWT secret is empty");
  const std::string path = (std::filesystem::path(dataDir) / kFileName).string();
  for (int attempt = 0; attempt < 2; ++attempt) {
    sdk::Result<std::optional<std::string>> content = readPrivateFile(path, kWhat);
    if (!content) return content.status();
    if (content->has_value()) {
      std::string secret = withoutTrailingBlanks(std::move(**content));
      if (sdk::Status strong = checkJwtSecretStrength(secret); !strong) {
        return sdk::Status::validation(std::string(kWhat) + " " + path + ": " + strong.message());
      }
      return secret;
    }
    std::string secret = randomHex(kGeneratedBytes);
    sdk::Status created = createPrivateFile(path, secret + "\n", kWhat);
    if (created) return secret;
    if (created.code() != sdk::ErrorCode::kConflict) return created;
  }
  return sdk::Status::internal(std::string("cannot read or create ") + kWhat + " " + path);
}

}  // namespace chathost::host
