#include "conversation/send_request.h"

#include "common/json_io.h"
#include "conversation/outbound_parts.h"
#include "conversation/text_split.h"

#include <algorithm>
#include <ctime>

namespace chathost::host {

namespace {
using sdk::Status;

constexpr std::size_t kMaxIdLength = 128;

// Ids go into platform URL paths: keep them to the characters platforms use.
Status checkId(const std::string& name, const std::string& value) {
  bool ok = !value.empty() && value.size() <= kMaxIdLength;
  for (char c : value)
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                c == '_' || c == '-' || c == '.');
  return ok ? Status::ok() : Status::validation(name + " is not a valid id");
}

// A string member: absent (nullopt), or its value; kValidation when present with another type.
sdk::Result<std::optional<std::string>> optionalString(const json::ObjectPtr& o,
                                                       const std::string& name,
                                                       const std::string& shownAs) {
  if (!o->has(name) || json::isNull(o->get(name))) return std::optional<std::string>{};
  if (!json::isString(o->get(name))) return Status::validation(shownAs + " must be a string");
  return std::optional<std::string>{o->get(name).extract<std::string>()};
}

std::string hoursOrDays(std::int64_t ms) {
  const std::int64_t hours = ms / 3'600'000;
  if (hours >= 48 && hours % 24 == 0) return std::to_string(hours / 24) + "-day";
  return std::to_string(hours) + "-hour";
}
}  // namespace

std::string utcTime(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

sdk::Result<SendRequest> parseSendRequest(const std::string& body,
                                          const sdk::ChannelDescription& d) {
  auto o = json::parseObject(body);
  if (!o) return Status::validation("request body must be a JSON object");
  SendRequest r;
  auto to = optionalString(o, "to", "to");
  if (!to) return to.status();
  if (!*to || (*to)->empty()) return Status::validation("to is required");
  r.to = **to;
  if (auto s = checkId("to", r.to); !s) return s;

  auto text = optionalString(o, "message", "message");
  if (!text) return text.status();
  if (*text) {
    r.text = **text;
    if (r.text.empty()) return Status::validation("message must not be empty");
    if (r.text.size() > d.maxTextBytes)
      return Status::validation("message is longer than " + std::to_string(d.maxTextBytes) +
                                " bytes (UTF-8)");
    if (!isValidUtf8(r.text)) return Status::validation("message is not valid UTF-8");
  }

  if (o->has("attachment") && !json::isNull(o->get("attachment"))) {
    auto a = json::asObject(o->get("attachment"));
    if (!a) return Status::validation("attachment must be an object with type and url");
    if (!d.sendsAttachments) return Status::validation("this channel cannot send attachments");
    auto type = optionalString(a, "type", "attachment.type");
    if (!type) return type.status();
    auto url = optionalString(a, "url", "attachment.url");
    if (!url) return url.status();
    if (!*type) return Status::validation("attachment.type is required");
    if (!*url) return Status::validation("attachment.url is required");
    sdk::OutboundAttachment attachment{**type, **url};
    if (auto problem = attachmentProblem(attachment)) return Status::validation(*problem);
    r.attachment = std::move(attachment);
  }
  if (r.text.empty() && !r.attachment)
    return Status::validation("message is required (or an attachment)");

  auto tag = optionalString(o, "tag", "tag");
  if (!tag) return tag.status();
  if (*tag) {
    r.tag = **tag;
    if (std::find(d.messageTags.begin(), d.messageTags.end(), r.tag) == d.messageTags.end()) {
      std::string allowed;
      for (const auto& t : d.messageTags) allowed += (allowed.empty() ? "" : ", ") + t;
      return Status::validation(allowed.empty() ? "this channel takes no message tags"
                                                : "tag must be one of: " + allowed);
    }
  }
  return r;
}

std::optional<std::string> windowProblem(const sdk::ChannelDescription& d,
                                         std::int64_t lastInboundAt, const std::string& tag,
                                         std::int64_t nowMs) {
  if (d.replyWindowMs <= 0 || lastInboundAt <= 0) return std::nullopt;
  const std::int64_t replyEnds = lastInboundAt + d.replyWindowMs;
  const std::int64_t taggedEnds = lastInboundAt + std::max(d.taggedWindowMs, d.replyWindowMs);
  if (tag.empty()) {
    if (nowMs <= replyEnds) return std::nullopt;
    std::string why = "the " + hoursOrDays(d.replyWindowMs) +
                      " reply window with this user closed at " + utcTime(replyEnds);
    if (!d.messageTags.empty() && nowMs <= taggedEnds)
      return why + "; a person may still answer with \"tag\": \"" + d.messageTags.front() +
             "\" until " + utcTime(taggedEnds);
    return why + "; the user must write first";
  }
  if (nowMs <= taggedEnds) return std::nullopt;
  return "the " + hoursOrDays(taggedEnds - lastInboundAt) + " window for tag " + tag +
         " closed at " + utcTime(taggedEnds) + "; the user must write first";
}

}  // namespace chathost::host
