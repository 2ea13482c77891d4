// The Send API (texts, attachments, tags, sender actions) and the subscribed_apps edge, for an
// Instagram account and for a Facebook Page (Messenger's limits, tags and webhook fields).
#include "fake_graph.h"
#include "fake_graph_util.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace chathost::fakes {

using detail::graphError;
using detail::json;
using detail::stringify;
using detail::stringOf;

namespace {
constexpr std::size_t kMaxTextBytes = 1000;      // Instagram: UTF-8 bytes
constexpr std::size_t kMaxPageTextChars = 2000;  // Messenger: characters
constexpr std::array<const char*, 4> kPageTags{"HUMAN_AGENT", "ACCOUNT_UPDATE",
                                               "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE"};
constexpr std::array<const char*, 4> kAttachmentTypes{"image", "video", "audio", "file"};
constexpr std::array<const char*, 3> kSenderActions{"typing_on", "typing_off", "mark_seen"};
constexpr std::array<const char*, 3> kMessagingTypes{"RESPONSE", "UPDATE", "MESSAGE_TAG"};
// The app id subscribed_apps lists when no Instagram Login app id was configured.
constexpr const char* kFakeAppId = "fake-app";
// Webhook fields an Instagram messaging app may subscribe an account to.
constexpr std::array<const char*, 13> kSubscribableFields{
    "messages",           "messaging_postbacks", "messaging_seen",
    "messaging_referral", "message_reactions",   "message_edit",
    "messaging_optins",   "messaging_handover",  "standby",
    "comments",           "live_comments",       "mentions",
    "message_deliveries"};
// Webhook fields of a Facebook Page a Messenger app may subscribe it to.
constexpr std::array<const char*, 13> kPageSubscribableFields{"messages",
                                                              "messaging_postbacks",
                                                              "messaging_optins",
                                                              "message_deliveries",
                                                              "message_reads",
                                                              "messaging_payments",
                                                              "messaging_referrals",
                                                              "message_echoes",
                                                              "message_reactions",
                                                              "messaging_handovers",
                                                              "messaging_policy_enforcement",
                                                              "standby",
                                                              "message_edits"};

// Code points of a UTF-8 string (continuation bytes are not counted).
std::size_t characters(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// A user token can neither send as nor subscribe a Page.
FakeResponse needsPageToken() {
  return graphError(200, 0, "(#200) This action requires a Page access token with pages_messaging",
                    "OAuthException");
}

template <std::size_t N>
bool oneOf(const std::array<const char*, N>& list, const std::string& value) {
  return std::any_of(list.begin(), list.end(), [&](const char* v) { return value == v; });
}

bool isHttpUrl(const std::string& url) {
  for (std::string_view scheme : {"http://", "https://"})
    if (url.size() > scheme.size() && url.compare(0, scheme.size(), scheme) == 0) return true;
  return false;
}

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool addressesAccount(const std::string& id, const FakeAccount& account) {
  return id == "me" || id == account.pageId || id == account.igId;
}

FakeResponse noSuchObject(const std::string& id) {
  return graphError(100, 33, "Unsupported post request. Object with ID '" + id + "' does not exist",
                    "GraphMethodException");
}

std::vector<std::string> splitFields(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string field = list.substr(start, comma - start);
    if (!field.empty()) out.push_back(field);
    start = comma + 1;
  }
  return out;
}
}  // namespace

FakeResponse FakeGraph::sendApi(const FakeRequest& request, const FakeAccount& account,
                                const std::string& id) {
  if (account.kind == FakeAccountKind::kUser) return needsPageToken();
  if (!addressesAccount(id, account)) return noSuchObject(id);
  const bool page = account.kind == FakeAccountKind::kPage;
  auto body = detail::parseObject(request.body);
  if (!body) return graphError(100, 0, "(#100) Invalid JSON for postbody");
  auto recipient = body->getObject("recipient");
  if (!recipient || !recipient->has("id"))
    return graphError(100, 0, "(#100) The parameter recipient is required");
  SentMessage sent;
  sent.senderId = id;
  sent.recipientId = stringOf(*recipient, "id");
  sent.body = request.body;
  sent.atMs = steadyMs();
  auto message = body->getObject("message");

  if (body->has("sender_action")) {
    if (message)
      return graphError(100, 0, "(#100) Cannot send both message and state at the same time.");
    sent.kind = "action";
    sent.action = stringOf(*body, "sender_action");
    if (!oneOf(kSenderActions, sent.action))
      return graphError(100, 0,
                        "(#100) Param sender_action must be one of {typing_on, typing_off, "
                        "mark_seen}");
    actions_.push_back(sent);
    Poco::JSON::Object out;
    out.set("recipient_id", sent.recipientId);
    return json(200, stringify(out));
  }

  sent.messagingType = stringOf(*body, "messaging_type");
  sent.tag = stringOf(*body, "tag");
  if (!sent.messagingType.empty() && !oneOf(kMessagingTypes, sent.messagingType))
    return graphError(100, 0,
                      "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, "
                      "MESSAGE_TAG}");
  if (sent.messagingType == "MESSAGE_TAG" && !page && sent.tag != "HUMAN_AGENT")
    return graphError(100, 0, "(#100) Param tag must be one of {HUMAN_AGENT}");
  if (sent.messagingType == "MESSAGE_TAG" && page && !oneOf(kPageTags, sent.tag))
    return graphError(100, 0,
                      "(#100) Param tag must be one of {HUMAN_AGENT, ACCOUNT_UPDATE, "
                      "CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE}");
  if (!sent.tag.empty() && sent.messagingType != "MESSAGE_TAG")
    return graphError(100, 0, "(#100) Param tag requires messaging_type MESSAGE_TAG");
  if (!message) return graphError(100, 0, "(#100) The parameter message is required");

  if (auto attachment = message->getObject("attachment")) {
    if (message->has("text"))
      return graphError(100, 0, "(#100) Param message must have either text or attachment");
    sent.kind = "attachment";
    sent.attachmentType = stringOf(*attachment, "type");
    if (!oneOf(kAttachmentTypes, sent.attachmentType))
      return graphError(100, 0,
                        "(#100) Param message[attachment][type] must be one of {image, audio, "
                        "video, file}");
    auto payload = attachment->getObject("payload");
    sent.attachmentUrl = payload ? stringOf(*payload, "url") : std::string();
    if (!isHttpUrl(sent.attachmentUrl))
      return graphError(100, 0, "(#100) Param message[attachment][payload][url] must be a URL");
  } else if (message->has("text")) {
    sent.kind = "text";
    sent.text = stringOf(*message, "text");
    if (!page && sent.text.size() > kMaxTextBytes)
      return graphError(100, 0,
                        "(#100) Length of param message[text] must be less than or equal to 1000");
    if (page && characters(sent.text) > kMaxPageTextChars)
      return graphError(100, 0,
                        "(#100) Length of param message[text] must be less than or equal to 2000");
  } else {
    return graphError(100, 0, "(#100) Param message must have either text or attachment");
  }
  sent.messageId = "m_fake_" + std::to_string(nextMessageId_++);
  sent_.push_back(sent);
  Poco::JSON::Object out;
  out.set("recipient_id", sent.recipientId);
  out.set("message_id", sent.messageId);
  return json(200, stringify(out));
}

FakeResponse FakeGraph::subscribedApps(const FakeRequest& request, const FakeAccount& account,
                                       const std::string& id) {
  if (account.kind == FakeAccountKind::kUser) return needsPageToken();
  if (!addressesAccount(id, account)) return noSuchObject(id);
  const std::string& node = account.subscriptionNode(id);
  const bool page = node == account.pageId;
  if (request.method == "POST") {
    std::string fields = detail::queryOf(request, "subscribed_fields");
    if (fields.empty()) {
      auto form = parseForm(request.body);
      if (auto it = form.find("subscribed_fields"); it != form.end()) fields = it->second;
    }
    auto list = splitFields(fields);
    if (list.empty())
      return graphError(100, 0, "(#100) The parameter subscribed_fields is required");
    // A Page takes its own field names and, as the Instagram channel's defaults need, the
    // Instagram ones; an Instagram account only the latter.
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!oneOf(kSubscribableFields, list[i]) &&
          !(page && oneOf(kPageSubscribableFields, list[i])))
        return graphError(100, 0,
                          "(#100) Param subscribed_fields[" + std::to_string(i) +
                              "] must be a subscribable field, got \"" + list[i] + "\"");
    subscriptions_[node] = list;  // the app's whole list for the node, as on Meta
    return json(200, "{\"success\":true}");
  }
  if (request.method == "DELETE") {
    subscriptions_.erase(node);
    return json(200, "{\"success\":true}");
  }
  if (request.method == "GET") {
    Poco::JSON::Array data;
    if (auto it = subscriptions_.find(node); it != subscriptions_.end()) {
      Poco::JSON::Array fields;
      for (const auto& f : it->second) fields.add(f);
      Poco::JSON::Object app;
      app.set("id", oauth_.appId.empty() ? std::string(kFakeAppId) : oauth_.appId);
      app.set("name", "chathost test app");
      app.set("subscribed_fields", fields);
      data.add(app);
    }
    Poco::JSON::Object out;
    out.set("data", data);
    return json(200, stringify(out));
  }
  return graphError(100, 0, "Unsupported " + request.method + " request.", "GraphMethodException");
}

}  // namespace chathost::fakes
