#include "conversation/event_record.h"

#include "common/json_io.h"

#include <chathost/sdk/json.h>

namespace chathost::host {
namespace {

constexpr sdk::EventKind kKinds[] = {
    sdk::EventKind::kMessage,  sdk::EventKind::kEcho,     sdk::EventKind::kPostback,
    sdk::EventKind::kReaction, sdk::EventKind::kRead,     sdk::EventKind::kEdit,
    sdk::EventKind::kUnsend,   sdk::EventKind::kReferral, sdk::EventKind::kUnknown};

std::optional<sdk::EventKind> kindFromName(const std::string& name) {
  for (auto k : kKinds)
    if (name == sdk::eventKindName(k)) return k;
  return std::nullopt;
}

std::string checkedJson(const std::string& text, bool array) {
  auto parsed = json::parse(text);
  if (parsed && (array ? json::asArray(*parsed) != nullptr : json::asObject(*parsed) != nullptr))
    return text;
  return array ? "[]" : "{}";
}

std::string stringMember(const json::ObjectPtr& o, const char* key) {
  if (!o->has(key)) return {};
  const auto v = o->get(key);
  return json::isString(v) ? v.extract<std::string>() : std::string();
}

}  // namespace

std::string eventToPayload(const sdk::InboundEvent& e) {
  using sdk::jsonQuote;
  std::string out;
  out.reserve(256 + e.text.size() + e.attachmentsJson.size() + e.metaJson.size());
  out += "{\"kind\":" + jsonQuote(sdk::eventKindName(e.kind));
  out += ",\"accountId\":" + jsonQuote(e.accountId);
  out += ",\"userId\":" + jsonQuote(e.userId);
  out += ",\"senderId\":" + jsonQuote(e.senderId);
  out += ",\"recipientId\":" + jsonQuote(e.recipientId);
  out += std::string(",\"standby\":") + (e.standby ? "true" : "false");
  out += ",\"timestamp\":" + std::to_string(e.timestamp);
  out += ",\"mid\":" + jsonQuote(e.mid);
  out += ",\"text\":" + jsonQuote(e.text);
  out += ",\"attachments\":" + checkedJson(e.attachmentsJson, true);
  out += ",\"meta\":" + checkedJson(e.metaJson, false);
  out += ",\"reactionAction\":" + jsonQuote(e.reactionAction);
  out += ",\"reaction\":" + jsonQuote(e.reaction);
  out += ",\"emoji\":" + jsonQuote(e.emoji);
  out += ",\"dedupKey\":" + jsonQuote(e.dedupKey) + "}";
  return out;
}

std::optional<sdk::InboundEvent> eventFromPayload(std::string_view payload) {
  auto o = json::parseObject(std::string(payload));
  if (!o) return std::nullopt;
  auto kind = kindFromName(stringMember(o, "kind"));
  if (!kind) return std::nullopt;
  sdk::InboundEvent e;
  e.kind = *kind;
  e.accountId = stringMember(o, "accountId");
  e.userId = stringMember(o, "userId");
  e.senderId = stringMember(o, "senderId");
  e.recipientId = stringMember(o, "recipientId");
  e.standby =
      o->has("standby") && json::isBool(o->get("standby")) && o->get("standby").extract<bool>();
  if (o->has("timestamp"))
    if (auto t = json::asInteger(o->get("timestamp"))) e.timestamp = *t;
  e.mid = stringMember(o, "mid");
  e.text = stringMember(o, "text");
  if (o->has("attachments") && json::asArray(o->get("attachments")))
    e.attachmentsJson = json::toText(o->get("attachments"));
  if (o->has("meta") && json::asObject(o->get("meta"))) e.metaJson = json::toText(o->get("meta"));
  e.reactionAction = stringMember(o, "reactionAction");
  e.reaction = stringMember(o, "reaction");
  e.emoji = stringMember(o, "emoji");
  e.dedupKey = stringMember(o, "dedupKey");
  return e;
}

std::optional<std::string> legacyPayloadAsWebhookBody(std::string_view payload) {
  auto o = json::parseObject(std::string(payload));
  if (!o || !o->has("event") || !json::asObject(o->get("event")) || !o->has("entryId"))
    return std::nullopt;
  const bool standby =
      o->has("standby") && json::isBool(o->get("standby")) && o->get("standby").extract<bool>();
  return "{\"object\":\"instagram\",\"entry\":[{\"id\":" +
         sdk::jsonQuote(stringMember(o, "entryId")) + ",\"" + (standby ? "standby" : "messaging") +
         "\":[" + json::toText(o->get("event")) + "]}]}";
}

std::string conversationKey(const std::string& subaccountId, const std::string& agentId,
                            const std::string& userId) {
  return subaccountId + ":" + agentId + ":" + userId;
}

}  // namespace chathost::host
