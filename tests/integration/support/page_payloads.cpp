#include "support/page_payloads.h"

#include "support/http_call.h"

namespace chathost::testing::page {

using edge::quote;

bool FakePage::registerWith(const std::string& graphBaseUrl) const {
  auto r = httpCall("POST", graphBaseUrl + "/_fake/accounts",
                    "{\"kind\":\"page\",\"token\":" + quote(token) +
                        ",\"pageId\":" + quote(pageId) + ",\"name\":" + quote(name) + "}");
  return r.status == 200;
}

std::string FakePage::connectBody(const std::string& webhookSecret,
                                  const std::string& verifyToken) const {
  std::string body = "{\"accessToken\":" + quote(token) + ",\"pageId\":" + quote(pageId);
  if (!webhookSecret.empty()) body += ",\"webhookSecret\":" + quote(webhookSecret);
  if (!verifyToken.empty()) body += ",\"webhookVerificationToken\":" + quote(verifyToken);
  return body + "}";
}

bool registerUserToken(const std::string& graphBaseUrl, const std::string& token,
                       const std::string& userId, const std::string& name) {
  auto r = httpCall("POST", graphBaseUrl + "/_fake/accounts",
                    "{\"kind\":\"user\",\"token\":" + quote(token) + ",\"igId\":" + quote(userId) +
                        ",\"name\":" + quote(name) + "}");
  return r.status == 200;
}

std::string envelope(const std::vector<std::string>& entries) {
  std::string out = "{\"object\":\"page\",\"entry\":[";
  for (std::size_t i = 0; i < entries.size(); ++i) out += (i ? "," : "") + entries[i];
  return out + "]}";
}

std::string textWebhook(const std::string& user, const std::string& pageId, long long ts,
                        const std::string& mid, const std::string& text) {
  return envelope({edge::entry(pageId, ts, {edge::textItem(user, pageId, ts, mid, text)})});
}

}  // namespace chathost::testing::page
