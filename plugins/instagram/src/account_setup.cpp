#include "account_setup.h"

#include <chathost/meta/graph_http.h>
#include <chathost/meta/qr.h>

#include <chathost/sdk/json.h>

namespace chathost::instagram {

namespace {
using sdk::jsonQuote;

constexpr const char* kConnectMessage =
    "Instagram QR code generated. Scan with your mobile app or connect via API.";

sdk::Status refused(const meta::GraphError& error, const char* what, const char* action,
                    const sdk::AgentInfo& agent, sdk::Logger& logger) {
  logger.warning(std::string("instagram connect: ") + what, {{"subaccountId", agent.subaccountId},
                                                             {"agentId", agent.id},
                                                             {"error", meta::describe(error)}});
  return meta::toStatus(error, action, kDisplayName);
}
}  // namespace

sdk::Result<AccountInfo> identifyAndSubscribe(const GraphClient& graph,
                                              const GraphCredentials& creds,
                                              const sdk::AgentInfo& agent, sdk::Logger& logger) {
  auto identified = graph.identify(creds);
  if (!identified.ok())
    return refused(identified.error, "the Graph API refused the account",
                   "verify the Instagram account", agent, logger);
  auto subscribed = graph.subscribe(creds);
  if (!subscribed.ok())
    return refused(subscribed.error, "the Graph API refused the webhook subscription",
                   "subscribe the app to the account's messages", agent, logger);
  return *identified.value;
}

std::string dmLinkFor(std::string_view username) {
  return "https://ig.me/m/" + meta::percentEncode(username);
}

std::string connectionSettingsJson(const AccountInfo& info, std::optional<ApiFlavor> flavor) {
  std::string json = "{";
  if (flavor) json += "\"apiFlavor\":" + jsonQuote(flavorName(*flavor)) + ",";
  return json + "\"name\":" + jsonQuote(info.name) + ",\"userId\":" + jsonQuote(info.userId) +
         ",\"profilePictureUrl\":" + jsonQuote(info.profilePictureUrl) + "}";
}

sdk::Result<sdk::ConnectResult> connectAnswer(sdk::Connection connection) {
  const std::string& username = connection.username;
  std::string link = dmLinkFor(username);
  auto dataUrl = meta::qrDataUrl(link);
  if (!dataUrl) return dataUrl.status();
  sdk::ConnectResult out;
  out.dataJson = "{\"qrCode\":" + jsonQuote(link) + ",\"qrCodeDataUrl\":" + jsonQuote(*dataUrl) +
                 ",\"instagramUrl\":" + jsonQuote("https://www.instagram.com/" + username + "/") +
                 ",\"username\":" + jsonQuote(username) + "}";
  out.message = kConnectMessage;
  out.connection = std::move(connection);
  return out;
}

}  // namespace chathost::instagram
