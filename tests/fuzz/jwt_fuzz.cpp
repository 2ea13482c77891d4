// Bearer tokens (every authenticated REST call). Input: Authorization header NUL JWS header JSON
// NUL payload JSON.
// Invariants: verifyBearer, verifyToken of the extracted token and TokenVerifier (cold and cached)
// agree; every failure is kUnauthorized; accepted claims pass checkTokenTimes; a token signed
// with the secret over fuzzed header/payload JSON runs every claim check, and changing any one
// byte of an accepted token makes it refused; issued tokens (valid UTF-8) verify to what was
// issued.

#include "auth/bearer.h"
#include "auth/hmac_sha256.h"
#include "auth/jwt.h"
#include "auth/token_verifier.h"
#include "fuzz_support.h"
#include "secrets/encoding.h"

using namespace chathost::host;
using chathost::sdk::ErrorCode;

namespace {

// The unit tests' secret and clock, so their tokens in the corpus verify.
const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";
constexpr std::int64_t kNow = 1'750'000'000;

bool sameClaims(const Claims& a, const Claims& b) {
  return a.sub == b.sub && a.subaccounts == b.subaccounts && a.exp == b.exp && a.nbf == b.nbf;
}

bool sameResult(const chathost::sdk::Result<Claims>& a, const chathost::sdk::Result<Claims>& b) {
  if (a.isOk() != b.isOk()) return false;
  if (a.isOk()) return sameClaims(*a, *b);
  return a.status().code() == b.status().code() && a.status().message() == b.status().message();
}

void checkAccepted(const std::string& token, const Claims& claims) {
  FUZZ_CHECK(checkTokenTimes(claims, kNow));
  FUZZ_CHECK(claims.exp + kJwtLeewaySeconds >= kNow);
  FUZZ_CHECK(!claims.allowsSubaccount(""));
  // Canonical encodings only: any other byte string is another token, with another signature.
  for (std::size_t i = 0; i < token.size(); i += 1 + token.size() / 16) {
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    FUZZ_CHECK(!verifyToken(changed, kSecret, kNow).isOk());
  }
  FUZZ_CHECK(!verifyToken(token + "A", kSecret, kNow).isOk());
  FUZZ_CHECK(!verifyToken(token, kSecret + "x", kNow).isOk());
}

void checkFailure(const chathost::sdk::Result<Claims>& r) {
  if (!r.isOk()) FUZZ_CHECK(r.status().code() == ErrorCode::kUnauthorized);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto f = chathost::fuzz::splitFields(data, size, 3);

  // 1. The header as a client sends it.
  const auto viaBearer = verifyBearer(f[0], kSecret, kNow);
  checkFailure(viaBearer);
  if (auto token = extractBearerToken(f[0])) {
    const auto direct = verifyToken(*token, kSecret, kNow);
    FUZZ_CHECK(sameResult(viaBearer, direct));
    if (direct.isOk()) checkAccepted(std::string(*token), *direct);
  } else {
    FUZZ_CHECK(!viaBearer.isOk());
  }
  TokenVerifier verifier(kSecret, 4);
  FUZZ_CHECK(sameResult(verifier.verify(f[0], kNow), viaBearer));
  FUZZ_CHECK(sameResult(verifier.verify(f[0], kNow), viaBearer));  // cached when accepted
  FUZZ_CHECK(verifier.cachedCount() == (viaBearer.isOk() ? 1u : 0u));
  FUZZ_CHECK(!verifyBearer(f[0], "", kNow).isOk());

  // 2. Correctly signed tokens over arbitrary header and payload JSON: the claim checks.
  const std::string signingInput =
      encodeBase64(f[1], Base64Alphabet::kUrl) + "." + encodeBase64(f[2], Base64Alphabet::kUrl);
  const std::string signedToken =
      signingInput + "." + encodeBase64(hmacSha256(kSecret, signingInput), Base64Alphabet::kUrl);
  const auto crafted = verifyToken(signedToken, kSecret, kNow);
  checkFailure(crafted);
  if (crafted.isOk()) checkAccepted(signedToken, *crafted);

  // 3. Issue then verify: what was issued comes back.
  std::vector<std::string> subaccounts;
  std::string_view rest = f[2];
  while (!rest.empty() && subaccounts.size() < 8) {
    const auto comma = rest.find(',');
    subaccounts.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  const std::string issued = issueToken(kSecret, f[1], subaccounts, 600, kNow);
  FUZZ_CHECK(!issued.empty());
  // issueToken writes other bytes into the JSON unchanged, and the verifier then refuses the
  // token as malformed (reported; the operator's `token` command is the only caller).
  bool utf8 = chathost::fuzz::isValidUtf8(f[1]);
  for (const auto& s : subaccounts) utf8 = utf8 && chathost::fuzz::isValidUtf8(s);
  if (!utf8) return 0;
  const auto back = verifyToken(issued, kSecret, kNow);
  FUZZ_CHECK(back.isOk());
  FUZZ_CHECK(back->sub == f[1]);
  FUZZ_CHECK(back->subaccounts == subaccounts);
  FUZZ_CHECK(back->exp == kNow + 600);
  FUZZ_CHECK(!verifyToken(issued, kSecret, kNow + 600 + kJwtLeewaySeconds + 1).isOk());
  return 0;
}
