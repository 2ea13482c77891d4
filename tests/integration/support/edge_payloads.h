#pragma once
// Builders for Instagram webhook bodies (INSTAGRAM_FACTS envelope), written as raw JSON text so
// tests control the exact bytes that get signed.

#include <string>
#include <vector>

namespace chathost::testing::edge {

/// `s` as a JSON string literal (quotes included).
std::string quote(const std::string& s);

/// One messaging[] item: sender, recipient, timestamp and `eventMembers` (e.g. `"read":{...}`).
std::string item(const std::string& sender, const std::string& recipient, long long ts,
                 const std::string& eventMembers);
/// A user's text message to the account.
std::string textItem(const std::string& user, const std::string& account, long long ts,
                     const std::string& mid, const std::string& text);
/// An echo: the account sent `text` (mid `mid`) to `user`.
std::string echoItem(const std::string& account, const std::string& user, long long ts,
                     const std::string& mid, const std::string& text);
/// `{"id":..,"time":..,"messaging":[items]}`, plus `"changes":[changes]` when given.
std::string entry(const std::string& account, long long time, const std::vector<std::string>& items,
                  const std::vector<std::string>& changes = {});
/// `{"object":"instagram","entry":[entries]}`.
std::string envelope(const std::vector<std::string>& entries);
/// A whole body with one entry holding one text message.
std::string textWebhook(const std::string& user, const std::string& account, long long ts,
                        const std::string& mid, const std::string& text);

/// "sha1=<hex HMAC-SHA1>": the legacy X-Hub-Signature header value.
std::string hubSignatureSha1(const std::string& secret, const std::string& body);

/// Wall-clock milliseconds since the epoch.
long long nowMs();

}  // namespace chathost::testing::edge
