#include <chathost/meta/send_body.h>

#include <chathost/sdk/json.h>

#include <algorithm>

namespace chathost::meta {

namespace {
using sdk::jsonQuote;

bool isHttpUrl(const std::string& url) {
  for (std::string_view scheme : {"http://", "https://"})
    if (url.size() > scheme.size() && url.compare(0, scheme.size(), scheme) == 0) return true;
  return false;
}
}  // namespace

const std::vector<std::string>& supportedMessageTags() {
  static const std::vector<std::string> tags{"HUMAN_AGENT"};
  return tags;
}

sdk::Status checkOutbound(const sdk::OutboundMessage& message) {
  if (message.action != sdk::SenderAction::kNone) return sdk::Status::ok();
  const auto& tags = supportedMessageTags();
  if (!message.tag.empty() && std::find(tags.begin(), tags.end(), message.tag) == tags.end())
    return sdk::Status::validation("the message tag '" + message.tag +
                                   "' is not supported (only HUMAN_AGENT)");
  if (!message.attachment) return sdk::Status::ok();
  const auto& a = *message.attachment;
  if (a.type != "image" && a.type != "video" && a.type != "audio" && a.type != "file")
    return sdk::Status::validation("attachment type must be image, video, audio or file");
  if (!isHttpUrl(a.url))
    return sdk::Status::validation("attachment url must be an absolute http(s) URL");
  if (!message.text.empty())
    return sdk::Status::validation("a message carries either text or an attachment, not both");
  return sdk::Status::ok();
}

const char* senderActionName(sdk::SenderAction action) {
  switch (action) {
    case sdk::SenderAction::kTypingOn:
      return "typing_on";
    case sdk::SenderAction::kTypingOff:
      return "typing_off";
    case sdk::SenderAction::kMarkSeen:
      return "mark_seen";
    case sdk::SenderAction::kNone:
      break;
  }
  return "";
}

std::string sendApiBody(const sdk::OutboundMessage& message) {
  std::string body = "{\"recipient\":{\"id\":" + jsonQuote(message.recipientId) + "}";
  if (message.action != sdk::SenderAction::kNone)
    return body + ",\"sender_action\":" + jsonQuote(senderActionName(message.action)) + "}";
  if (message.attachment)
    body += ",\"message\":{\"attachment\":{\"type\":" + jsonQuote(message.attachment->type) +
            ",\"payload\":{\"url\":" + jsonQuote(message.attachment->url) + "}}}";
  else
    body += ",\"message\":{\"text\":" + jsonQuote(message.text) + "}";
  if (message.tag.empty()) return body + ",\"messaging_type\":\"RESPONSE\"}";
  return body + ",\"messaging_type\":\"MESSAGE_TAG\",\"tag\":" + jsonQuote(message.tag) + "}";
}

}  // namespace chathost::meta
