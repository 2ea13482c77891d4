// The sign-in callback's `state` (anyone on the internet can send one) and the send route's body.
// Input: state token NUL send body NUL state fields (subaccount, agent, redirect URI: NUL-split).
// Invariants: a state verifies only when signed under the key (never under another key); a
// verified state re-signs to a token that verifies to the same fields; a state signed from any
// UTF-8 fields verifies to them, and changing any one byte of it makes it refused; send bodies are
// refused only with VALIDATION_ERROR, and an accepted one is within the channel's limits.

#include "conversation/oauth_state.h"
#include "conversation/send_request.h"
#include "conversation/text_split.h"
#include "fuzz_support.h"

using namespace chathost;
using namespace chathost::host;

namespace {
constexpr std::int64_t kNow = 1'750'000'000'000;
const std::string kKey = "fuzz-state-key-0123456789abcdef";

bool same(const OAuthState& a, const OAuthState& b) {
  return a.subaccountId == b.subaccountId && a.agentId == b.agentId && a.channel == b.channel &&
         a.redirectUri == b.redirectUri && a.expiresAt == b.expiresAt && a.nonce == b.nonce;
}

sdk::ChannelDescription channel() {
  sdk::ChannelDescription d;
  d.name = "instagram";
  d.maxTextBytes = 1000;
  d.replyWindowMs = 24LL * 3600 * 1000;
  d.taggedWindowMs = 7LL * 24 * 3600 * 1000;
  d.messageTags = {"HUMAN_AGENT"};
  d.sendsAttachments = true;
  return d;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto f = chathost::fuzz::splitFields(data, size, 5);

  // Whatever arrives as a state.
  auto given = verifyOAuthState(f[0], kKey, kNow);
  FUZZ_CHECK(!verifyOAuthState(f[0], "another-key", kNow));
  if (given) {
    FUZZ_CHECK(given->expiresAt > kNow);
    auto again = verifyOAuthState(signOAuthState(*given, kKey), kKey, kNow);
    FUZZ_CHECK(again && same(*again, *given));
  } else {
    FUZZ_CHECK(given.status().code() == sdk::ErrorCode::kValidation);
  }

  // A state the host signs from fuzzed fields.
  OAuthState made{f[2],
                  f[3],
                  "instagram",
                  f[4],
                  kNow + 1 + static_cast<std::int64_t>(size),
                  f[1].substr(0, 40)};
  const std::string token = signOAuthState(made, kKey);
  auto back = verifyOAuthState(token, kKey, kNow);
  // Ids and URIs the host signs are UTF-8 without NUL (Poco's JSON keeps nothing else intact).
  const auto plain = [](const std::string& s) {
    return isValidUtf8(s) && s.find('\0') == std::string::npos;
  };
  const bool text = plain(made.subaccountId) && plain(made.agentId) && plain(made.redirectUri) &&
                    plain(made.nonce);
  FUZZ_CHECK(token.size() > 4096 || !text || (back && same(*back, made)));
  FUZZ_CHECK(!verifyOAuthState(token, kKey, made.expiresAt));  // expired at its deadline
  if (!token.empty()) {
    std::string changed = token;
    changed[size % changed.size()] ^= static_cast<char>(1 + (size % 127));
    FUZZ_CHECK(!verifyOAuthState(changed, kKey, kNow));
  }

  // Whatever arrives as a send body.
  const auto d = channel();
  auto req = parseSendRequest(f[1], d);
  if (!req) {
    FUZZ_CHECK(req.status().code() == sdk::ErrorCode::kValidation);
  } else {
    FUZZ_CHECK(!req->to.empty() && req->to.size() <= 128);
    FUZZ_CHECK(!req->text.empty() || req->attachment.has_value());
    FUZZ_CHECK(req->text.size() <= d.maxTextBytes && isValidUtf8(req->text));
    FUZZ_CHECK(req->tag.empty() || req->tag == "HUMAN_AGENT");
    // Windows: a user who wrote just now can always be answered; untagged never after 24 h.
    FUZZ_CHECK(!windowProblem(d, kNow, req->tag, kNow));
    FUZZ_CHECK(req->tag.empty() ==
               windowProblem(d, kNow - d.replyWindowMs - 1, req->tag, kNow).has_value());
  }
  return 0;
}
