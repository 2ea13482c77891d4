#include "graph_client.h"

#include <chathost/meta/json_util.h>

namespace chathost::instagram {

using meta::GraphResult;

std::string normaliseAccountType(const std::string& raw) {
  if (raw == "BUSINESS") return "BUSINESS";
  if (raw == "MEDIA_CREATOR" || raw == "CREATOR") return "MEDIA_CREATOR";
  return "UNKNOWN";
}

GraphCredentials credentialsOf(const sdk::Connection& c, const Settings& settings) {
  auto it = c.secrets.find("accessToken");
  return {it == c.secrets.end() ? std::string() : it->second, c.accountId, c.pageId,
          endpointFor(settings, storedFlavor(c.settingsJson))};
}

GraphClient::GraphClient(sdk::HttpClient& http, Settings settings)
    : settings_(std::move(settings)), api_(http, settings_.apiOptions()) {}

GraphEndpoint GraphClient::endpointOf(const GraphCredentials& creds) const {
  return creds.endpoint.value_or(GraphEndpoint{settings_.apiFlavor, settings_.graphBaseUrl});
}

meta::GraphTarget GraphClient::targetOf(const GraphCredentials& creds) const {
  return {endpointOf(creds).baseUrl, creds.accessToken};
}

bool GraphClient::subscribesPage(const GraphCredentials& creds) const {
  return endpointOf(creds).flavor == ApiFlavor::kFacebook && !creds.pageId.empty();
}

GraphResult<AccountInfo> GraphClient::identify(const GraphCredentials& creds) const {
  GraphResult<AccountInfo> out;
  bool ig = endpointOf(creds).flavor == ApiFlavor::kInstagram;
  auto body = ig ? api_.call(sdk::Method::kGet, targetOf(creds), "me",
                             "fields=id,user_id,username,name,account_type,profile_picture_url")
                 : api_.call(sdk::Method::kGet, targetOf(creds), creds.accountId,
                             "fields=id,username,name,profile_picture_url");
  if (!body.ok()) {
    out.error = body.error;
    return out;
  }
  auto obj = meta::parseObject(*body.value);
  AccountInfo info;
  info.id = meta::getString(*obj, "id").value_or(creds.accountId);
  info.userId = meta::getString(*obj, "user_id").value_or("");
  info.username = meta::getString(*obj, "username").value_or("");
  info.name = meta::getString(*obj, "name").value_or("");
  info.accountType = normaliseAccountType(meta::getString(*obj, "account_type").value_or(""));
  info.profilePictureUrl = meta::getString(*obj, "profile_picture_url").value_or("");
  if (info.username.empty()) {
    out.error = meta::malformedAnswer("the Graph API did not return the account's username");
    return out;
  }
  out.value = std::move(info);
  return out;
}

GraphResult<meta::SendAck> GraphClient::send(const GraphCredentials& creds,
                                             const sdk::OutboundMessage& message) const {
  std::string node =
      endpointOf(creds).flavor == ApiFlavor::kFacebook ? creds.pageId : creds.accountId;
  if (node.empty()) node = "me";
  return api_.sendMessage(targetOf(creds), node, message);
}

GraphResult<std::optional<meta::UserProfile>> GraphClient::fetchProfile(
    const GraphCredentials& creds, const std::string& userId) const {
  return api_.fetchProfile(targetOf(creds), userId, "name,username,profile_pic");
}

GraphResult<bool> GraphClient::subscribe(const GraphCredentials& creds) const {
  const bool page = subscribesPage(creds);
  // With Facebook Login the node is a Page (`me` of a Page token too), which Messenger may
  // subscribe as well: its fields are kept. An Instagram Login account's `me` is this
  // connection's alone.
  const bool facebook = endpointOf(creds).flavor == ApiFlavor::kFacebook;
  return api_.subscribeApp(targetOf(creds), page ? creds.pageId : "me",
                           page ? settings_.pageSubscribedFields : kSubscribedFields,
                           facebook ? meta::ExistingFields::kKeep : meta::ExistingFields::kReplace);
}

GraphResult<bool> GraphClient::unsubscribe(const GraphCredentials& creds) const {
  return api_.unsubscribeApp(targetOf(creds), subscribesPage(creds) ? creds.pageId : "me");
}

}  // namespace chathost::instagram
