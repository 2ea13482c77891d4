#pragma once
// What backend tests do from outside: REST calls as one subaccount, signed Instagram webhooks,
// JSON answers, the fake Graph API's record of sends, and polling with a deadline.

#include "support/http_call.h"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace chathost::testing {

using JsonObject = Poco::JSON::Object::Ptr;

/// The parsed object, or an empty object when `body` is not a JSON object (so asserts fail
/// instead of throwing).
JsonObject parseObject(const std::string& body);
/// body.code of an error envelope ("" when absent).
std::string errorCode(const HttpResult& r);
/// body.message of an envelope ("" when absent).
std::string errorMessage(const HttpResult& r);

/// Polls `pred` every 20 ms until it holds or `timeout` passes; returns its last answer.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

/// An HS256 JWT for `subaccounts`, valid for an hour.
std::string tokenFor(const std::string& jwtSecret, const std::vector<std::string>& subaccounts);

std::int64_t nowMillis();

/// REST client for /api/database/<subaccount>/chat-agents of one host.
class AgentsApi {
 public:
  AgentsApi(std::string hostBaseUrl, std::string subaccount, std::string token)
      : base_(std::move(hostBaseUrl)),
        subaccount_(std::move(subaccount)),
        token_(std::move(token)) {}

  /// `path` is relative to .../chat-agents ("" or "/agentId/...").
  HttpResult call(const std::string& method, const std::string& path,
                  const std::string& body = "") const;
  std::string url(const std::string& path) const;

  /// POST a rules agent answering "price" and with a fallback; the HTTP status.
  int createRulesAgent(const std::string& id, const std::string& name = "Shop") const;

 private:
  std::string base_;
  std::string subaccount_;
  std::string token_;
};

/// Credentials of one Instagram account known to the fake Graph API.
struct IgAccount {
  std::string accessToken;
  std::string accountId;
  std::string pageId;
  std::string username;
  std::string webhookSecret;
  /// "TOKEN:IG_ID:PAGE_ID:USERNAME" for FakeGraphProcess::start.
  std::string fakeSpec() const;
  /// The connect body.
  std::string connectBody() const;
};

/// Meta's payload for one text message from `userId` to the account.
std::string messageWebhook(const std::string& accountId, const std::string& userId,
                           const std::string& mid, const std::string& text, std::int64_t ts);

/// POSTs `body` to an agent's webhook, signed with `secret`.
HttpResult postAgentWebhook(const AgentsApi& api, const std::string& agentId,
                            const std::string& body, const std::string& secret);

/// Sum of the samples of metric `name` at the host's /metrics whose labels include every
/// `label="value"` given; -1 when /metrics does not answer.
double metricSum(const std::string& hostBaseUrl, const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& labels = {});

/// True when every reply part the hosts at `hostBaseUrls` queued in their shared outbox was sent
/// or failed (by any of them: a part one host queued may be sent by another).
bool outboxSettled(const std::vector<std::string>& hostBaseUrls);

/// One call to the fake's Send API, as it recorded it.
struct SentMessage {
  std::string recipientId;
  std::string text;
  std::int64_t atMs = 0;  // when the fake accepted it (its steady clock)
};
/// Every send the fake Graph API at `graphBaseUrl` accepted, in order (empty when unreachable).
std::vector<SentMessage> sentMessages(const std::string& graphBaseUrl);

}  // namespace chathost::testing
