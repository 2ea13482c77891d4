// Meta messaging webhook bodies as the Instagram channel parses them (the public webhook URL's
// POST body, after the signature check).
// Invariants: a refusal is a validation error; events come out sorted by timestamp; parsing is
// deterministic (a redelivery gives the same events, dedup keys included); every event names its
// customer (the recipient of an echo, else the sender); dedup keys are never empty and start with
// the prefix of their kind; attachments are a JSON array and meta a JSON object, as the host
// stores them.

#include "fuzz_support.h"

#include <chathost/meta/json_util.h>
#include <chathost/meta/messaging_parser.h>

#include <algorithm>
#include <string_view>

using namespace chathost::meta;
using chathost::sdk::EventKind;
using chathost::sdk::InboundEvent;

namespace {

bool sameEvent(const InboundEvent& a, const InboundEvent& b) {
  return a.kind == b.kind && a.accountId == b.accountId && a.userId == b.userId &&
         a.senderId == b.senderId && a.recipientId == b.recipientId && a.standby == b.standby &&
         a.timestamp == b.timestamp && a.mid == b.mid && a.text == b.text &&
         a.attachmentsJson == b.attachmentsJson && a.metaJson == b.metaJson &&
         a.reactionAction == b.reactionAction && a.reaction == b.reaction && a.emoji == b.emoji &&
         a.dedupKey == b.dedupKey;
}

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool keyFitsKind(const InboundEvent& e) {
  switch (e.kind) {
    case EventKind::kMessage:
    case EventKind::kEcho:
      return startsWith(e.dedupKey, "mid:") || startsWith(e.dedupKey, "message:");
    case EventKind::kUnsend:
      return startsWith(e.dedupKey, "deleted:");
    case EventKind::kEdit:
      return startsWith(e.dedupKey, "edit:");
    case EventKind::kReaction:
      return startsWith(e.dedupKey, "reaction:");
    case EventKind::kPostback:
      return startsWith(e.dedupKey, "postback:");
    case EventKind::kRead:
      return startsWith(e.dedupKey, "read:");
    case EventKind::kReferral:
      return startsWith(e.dedupKey, "referral:");
    case EventKind::kUnknown:
      return startsWith(e.dedupKey, "unknown:");
  }
  return false;
}

bool isJsonArray(const std::string& text) {
  auto wrapped = parseObject("{\"a\":" + text + "}");
  return wrapped && getArray(*wrapped, "a");
}

// The parser's promises for one platform object: a body is refused as a validation error or
// parsed into sorted, complete, repeatable events.
void checkParse(std::string_view body, const char* object) {
  auto parsed = parseMessagingWebhook(body, object);
  if (!parsed) {
    FUZZ_CHECK(parsed.status().code() == chathost::sdk::ErrorCode::kValidation);
    return;
  }
  const auto& hook = *parsed;
  FUZZ_CHECK(hook.ignored >= 0);
  FUZZ_CHECK(std::is_sorted(
      hook.events.begin(), hook.events.end(),
      [](const InboundEvent& a, const InboundEvent& b) { return a.timestamp < b.timestamp; }));

  auto again = parseMessagingWebhook(body, object);
  FUZZ_CHECK(again.isOk());
  FUZZ_CHECK(again->ignored == hook.ignored);
  FUZZ_CHECK(again->events.size() == hook.events.size());
  for (std::size_t i = 0; i < hook.events.size(); ++i) {
    const InboundEvent& ev = hook.events[i];
    FUZZ_CHECK(sameEvent(ev, again->events[i]));
    FUZZ_CHECK(ev.userId == (ev.kind == EventKind::kEcho ? ev.recipientId : ev.senderId));
    FUZZ_CHECK(!ev.dedupKey.empty());
    FUZZ_CHECK(keyFitsKind(ev));
    FUZZ_CHECK(isJsonArray(ev.attachmentsJson));
    FUZZ_CHECK(parseObject(ev.metaJson) != nullptr);
  }
}

}  // namespace

// Instagram's bodies (object "instagram") and Messenger's (object "page") go through one parser.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = chathost::fuzz::asView(data, size);
  checkParse(body, "instagram");
  checkParse(body, "page");
  return 0;
}
