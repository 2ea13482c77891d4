// Instagram webhook bodies (the public webhook URL's POST body, after the signature check).
// Invariants: events come out sorted by timestamp; every event survives the inbox round trip
// (toInboxPayload -> fromInboxPayload) and re-parsing its own raw JSON unchanged; dedup keys are
// never empty and name their kind.

#include "event_parser.h"
#include "fuzz_support.h"

#include <algorithm>

using namespace chathost::instagram;

namespace {

bool sameEvent(const InstagramEvent& a, const InstagramEvent& b) {
  return a.kind == b.kind && a.entryId == b.entryId && a.standby == b.standby &&
         a.senderId == b.senderId && a.recipientId == b.recipientId && a.timestamp == b.timestamp &&
         a.mid == b.mid && a.text == b.text && a.attachmentsJson == b.attachmentsJson &&
         a.metaJson == b.metaJson && a.reactionAction == b.reactionAction &&
         a.reaction == b.reaction && a.emoji == b.emoji && a.editCount == b.editCount &&
         a.rawJson == b.rawJson;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = chathost::fuzz::asView(data, size);
  auto parsed = parseWebhook(body);
  if (!parsed) {
    FUZZ_CHECK(parsed.status().code() == chathost::sdk::ErrorCode::kValidation);
    return 0;
  }
  const ParsedWebhook& hook = *parsed;
  FUZZ_CHECK(std::is_sorted(
      hook.events.begin(), hook.events.end(),
      [](const InstagramEvent& a, const InstagramEvent& b) { return a.timestamp < b.timestamp; }));
  for (const InstagramEvent& ev : hook.events) {
    FUZZ_CHECK(kindName(ev.kind) != nullptr);
    const std::string key = dedupKeyOf(ev);
    FUZZ_CHECK(!key.empty());
    FUZZ_CHECK(key.find(':') != std::string::npos);

    const std::string payload = toInboxPayload(ev, "sub-1", "agent-1");
    const auto back = fromInboxPayload(payload);
    FUZZ_CHECK(back.has_value());
    FUZZ_CHECK(sameEvent(ev, *back));
    FUZZ_CHECK(dedupKeyOf(*back) == key);

    const auto again = parseMessagingItem(ev.rawJson, ev.entryId, ev.standby);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(sameEvent(ev, *again));
  }
  // Single items too: whatever parseWebhook accepts, the item parser must survive raw input.
  (void)parseMessagingItem(body, "17841400000000000", false);
  return 0;
}
