#include "page_connect.h"

#include <chathost/meta/graph_api.h>
#include <chathost/meta/graph_http.h>
#include <chathost/meta/json_util.h>
#include <chathost/meta/qr.h>

#include <chathost/sdk/json.h>

namespace chathost::messenger {

namespace {
using sdk::jsonQuote;
using sdk::Status;

constexpr const char* kConnectMessage =
    "Messenger QR code generated. Scan with your mobile app or connect via API.";
}  // namespace

std::vector<sdk::ConnectField> connectFields() {
  return {{"accessToken", "Page access token", true, true},
          {"pageId", "Facebook Page id", false, false},
          {"webhookVerificationToken", "Webhook verification token", false, true},
          {"webhookSecret", "Webhook secret", false, true}};
}

sdk::Result<ConnectRequest> parseConnectRequest(std::string_view bodyJson) {
  auto body = meta::parseObject(bodyJson);
  if (!body) return Status::validation("request body must be a JSON object");
  ConnectRequest r;
  using meta::readStringMember;
  for (const auto& s : {readStringMember(*body, "accessToken", true, r.accessToken),
                        readStringMember(*body, "pageId", false, r.pageId),
                        readStringMember(*body, "webhookVerificationToken", false, r.verifyToken),
                        readStringMember(*body, "webhookSecret", false, r.webhookSecret)})
    if (!s) return s;
  if (!r.pageId.empty() && !meta::isGraphId(r.pageId))
    return Status::validation("pageId is not a valid id");
  return r;
}

sdk::Result<PageInfo> pageFromMe(std::string_view meJson, const std::string& requestedPageId) {
  auto me = meta::parseObject(meJson);
  PageInfo page;
  page.id = me ? meta::getString(*me, "id").value_or("") : "";
  if (!meta::isGraphId(page.id))
    return Status(sdk::ErrorCode::kApiError, "the Graph API did not say whose token this is");
  page.name = meta::getString(*me, "name").value_or("");
  auto metadata = meta::getObject(*me, "metadata");
  // A user's token (what Graph Explorer hands out first) would send nothing as the Page.
  if (!metadata || meta::getString(*metadata, "type") != "page")
    return Status::validation(
        "accessToken is not a Page access token (it belongs to a user): use the Page's token "
        "from the Meta app's Messenger settings or GET /me/accounts");
  if (!requestedPageId.empty() && requestedPageId != page.id)
    return Status::validation("accessToken belongs to Page " + page.id + ", not to pageId " +
                              requestedPageId);
  return page;
}

std::string messengerLink(const std::string& pageId) {
  return "https://m.me/" + meta::percentEncode(pageId);
}

sdk::Result<sdk::ConnectResult> connectAnswer(const ConnectRequest& request, const PageInfo& page) {
  const std::string link = messengerLink(page.id);
  auto dataUrl = meta::qrDataUrl(link);
  if (!dataUrl) return dataUrl.status();
  sdk::ConnectResult out;
  sdk::Connection& c = out.connection;
  c.accountId = c.pageId = page.id;
  c.username = page.name;
  c.accountType = "BUSINESS";  // a Page is a business presence: SPEC's accountType vocabulary
  c.secrets = {{"accessToken", request.accessToken}};
  if (!request.verifyToken.empty()) c.secrets["verifyToken"] = request.verifyToken;
  if (!request.webhookSecret.empty()) c.secrets["webhookSecret"] = request.webhookSecret;
  c.settingsJson = "{\"name\":" + jsonQuote(page.name) + "}";
  out.dataJson = "{\"qrCode\":" + jsonQuote(link) + ",\"qrCodeDataUrl\":" + jsonQuote(*dataUrl) +
                 ",\"messengerUrl\":" + jsonQuote(link) +
                 ",\"pageUrl\":" + jsonQuote("https://www.facebook.com/" + page.id) +
                 ",\"pageId\":" + jsonQuote(page.id) + ",\"username\":" + jsonQuote(page.name) +
                 "}";
  out.message = kConnectMessage;
  return out;
}

}  // namespace chathost::messenger
