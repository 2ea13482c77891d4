#include <chathost/meta/messaging_parser.h>

#include <chathost/meta/json_util.h>

#include <algorithm>

namespace chathost::meta {

namespace {
using sdk::EventKind;
using sdk::InboundEvent;

std::string str(const JsonObject& o, const std::string& key) {
  return getString(o, key).value_or("");
}

// Attachments as received, each with a top-level "url" copied from payload.url when present so
// readers need not know every attachment type's shape.
std::string normaliseAttachments(const JsonArray& arr) {
  Poco::JSON::Array out;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr.isObject(i)) continue;
    Poco::JSON::Object::Ptr src = arr.getObject(i);
    Poco::JSON::Object::Ptr copy = new Poco::JSON::Object(*src);
    if (auto payload = getObject(*src, "payload"))
      if (auto url = getString(*payload, "url")) copy->set("url", *url);
    out.add(copy);
  }
  return toJson(out);
}

void parseMessage(const JsonObject& msg, InboundEvent& ev) {
  ev.mid = str(msg, "mid");
  ev.text = str(msg, "text");
  if (getBool(msg, "is_deleted").value_or(false)) {
    ev.kind = EventKind::kUnsend;
    return;
  }
  ev.kind = getBool(msg, "is_echo").value_or(false) ? EventKind::kEcho : EventKind::kMessage;
  if (auto atts = getArray(msg, "attachments")) ev.attachmentsJson = normaliseAttachments(*atts);
  Poco::JSON::Object meta;
  for (const char* key : {"reply_to", "quick_reply", "referral"})
    if (auto sub = getObject(msg, key)) meta.set(key, sub);
  if (getBool(msg, "is_unsupported").value_or(false)) meta.set("unsupported", true);
  if (ev.kind == EventKind::kEcho) {
    if (auto appId = getString(msg, "app_id")) meta.set("app_id", *appId);
  }
  if (ev.standby) meta.set("standby", true);
  ev.metaJson = toJson(meta);
}

// The key formats are stored by the host to drop redeliveries: changing one makes every event
// recorded before the change look new again.
std::string dedupKeyOf(const InboundEvent& e, std::int64_t editCount) {
  std::string who = e.senderId + ":" + std::to_string(e.timestamp);
  switch (e.kind) {
    case EventKind::kMessage:
    case EventKind::kEcho:
      return e.mid.empty() ? "message:" + who : "mid:" + e.mid;
    case EventKind::kUnsend:
      return "deleted:" + e.mid;
    case EventKind::kEdit:
      return "edit:" + e.mid + ":" + std::to_string(editCount) + ":" + e.text;
    case EventKind::kReaction:
      return "reaction:" + e.mid + ":" + e.reactionAction + ":" + e.reaction + ":" + who;
    case EventKind::kPostback:
      return e.mid.empty() ? "postback:" + who : "postback:" + e.mid;
    case EventKind::kRead:
      return "read:" + e.mid + ":" + who;
    case EventKind::kReferral:
      return "referral:" + who;
    case EventKind::kUnknown:
      return "unknown:" + who;
  }
  return "unknown:" + who;
}

InboundEvent eventFromItem(const JsonObject& item, const std::string& entryId, bool standby) {
  InboundEvent ev;
  ev.accountId = entryId;
  ev.standby = standby;
  if (auto s = getObject(item, "sender")) ev.senderId = str(*s, "id");
  if (auto r = getObject(item, "recipient")) ev.recipientId = str(*r, "id");
  ev.timestamp = getInt(item, "timestamp").value_or(0);
  std::int64_t editCount = 0;

  if (auto msg = getObject(item, "message")) {
    parseMessage(*msg, ev);
  } else if (auto edit = getObject(item, "message_edit")) {
    ev.kind = EventKind::kEdit;
    ev.mid = str(*edit, "mid");
    ev.text = str(*edit, "text");
    editCount = getInt(*edit, "num_edit").value_or(0);
  } else if (auto reaction = getObject(item, "reaction")) {
    ev.kind = EventKind::kReaction;
    ev.mid = str(*reaction, "mid");
    ev.reactionAction = getString(*reaction, "action").value_or("react");
    ev.reaction = str(*reaction, "reaction");
    ev.emoji = str(*reaction, "emoji");
  } else if (auto postback = getObject(item, "postback")) {
    ev.kind = EventKind::kPostback;
    ev.mid = str(*postback, "mid");
    ev.text = str(*postback, "title");
    Poco::JSON::Object meta;
    meta.set("postback", postback);
    ev.metaJson = toJson(meta);
  } else if (auto read = getObject(item, "read")) {
    ev.kind = EventKind::kRead;
    ev.mid = str(*read, "mid");
    if (auto watermark = getInt(*read, "watermark"); watermark && ev.mid.empty()) {
      Poco::JSON::Object meta, receipt;
      receipt.set("watermark", *watermark);
      meta.set("read", receipt);
      ev.metaJson = toJson(meta);
    }
  } else if (auto referral = getObject(item, "referral")) {
    ev.kind = EventKind::kReferral;
    Poco::JSON::Object meta;
    meta.set("referral", referral);
    ev.metaJson = toJson(meta);
  }
  // The customer: the recipient of the account's own (echoed) message, else the sender.
  ev.userId = ev.kind == EventKind::kEcho ? ev.recipientId : ev.senderId;
  ev.dedupKey = dedupKeyOf(ev, editCount);
  return ev;
}

}  // namespace

sdk::Result<sdk::ParsedWebhook> parseMessagingWebhook(std::string_view body,
                                                      std::string_view object) {
  auto root = parseObject(body);
  if (!root) return sdk::Status::validation("webhook body is not a JSON object");
  if (auto named = getString(*root, "object"); named && *named != object)
    return sdk::Status::validation("webhook body is for object '" + *named + "', not '" +
                                   std::string(object) + "'");
  auto entries = getArray(*root, "entry");
  if (!entries) return sdk::Status::validation("webhook body has no 'entry' array");
  sdk::ParsedWebhook out;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    if (!entries->isObject(i)) {
      ++out.ignored;
      continue;
    }
    auto entry = entries->getObject(i);
    std::string entryId = str(*entry, "id");
    // Comments, mentions and the dashboard's test events: not direct messages.
    if (auto changes = getArray(*entry, "changes"))
      out.ignored += static_cast<int>(changes->size());
    for (const char* list : {"messaging", "standby"}) {
      auto items = getArray(*entry, list);
      if (!items) continue;
      bool standby = std::string_view(list) == "standby";
      for (std::size_t k = 0; k < items->size(); ++k) {
        if (!items->isObject(k)) {
          ++out.ignored;
          continue;
        }
        out.events.push_back(eventFromItem(*items->getObject(k), entryId, standby));
      }
    }
  }
  std::stable_sort(
      out.events.begin(), out.events.end(),
      [](const InboundEvent& a, const InboundEvent& b) { return a.timestamp < b.timestamp; });
  return out;
}

}  // namespace chathost::meta
