// X-Hub-Signature-256 checks of webhook bodies. Input: secret NUL header NUL body.
// Invariants: a signature computed with the secret verifies (either hex case) unless the secret
// is empty; a header that verifies is exactly the expected signature up to case; the hex HMAC
// is 64 lowercase hex digits; constantTimeEquals is plain equality.

#include "fuzz_support.h"

#include <chathost/meta/signature.h>

#include <cctype>

using namespace chathost::meta;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto f = chathost::fuzz::splitFields(data, size, 3);
  const std::string& secret = f[0];
  const std::string& header = f[1];
  const std::string& body = f[2];

  const std::string hex = hmacSha256Hex(secret, body);
  FUZZ_CHECK(hex.size() == 64);
  for (char c : hex) FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  FUZZ_CHECK(appSecretProof(body, secret) == hex);

  const std::string expected = "sha256=" + hex;
  FUZZ_CHECK(verifySignature(body, expected, secret) == !secret.empty());
  FUZZ_CHECK(verifySignature(body, "sha256=" + upper(hex), secret) == !secret.empty());
  FUZZ_CHECK(!verifySignature(body, expected, ""));

  const bool ok = verifySignature(body, header, secret);
  if (ok) {
    FUZZ_CHECK(!secret.empty());
    FUZZ_CHECK(header.size() == expected.size());
    FUZZ_CHECK(lower(header) == expected);  // "sha256=" and the hex digits in any case
  }
  // A body changed by one byte no longer verifies.
  if (!secret.empty() && !body.empty()) {
    std::string changed = body;
    changed[changed.size() / 2] ^= 0x01;
    FUZZ_CHECK(!verifySignature(changed, expected, secret));
  }

  FUZZ_CHECK(constantTimeEquals(header, body) == (header == body));
  FUZZ_CHECK(constantTimeEquals(header, header));
  return 0;
}
