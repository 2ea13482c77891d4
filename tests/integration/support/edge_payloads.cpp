#include "support/edge_payloads.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>

namespace chathost::testing::edge {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string item(const std::string& sender, const std::string& recipient, long long ts,
                 const std::string& eventMembers) {
  return "{\"sender\":{\"id\":" + quote(sender) + "},\"recipient\":{\"id\":" + quote(recipient) +
         "},\"timestamp\":" + std::to_string(ts) + "," + eventMembers + "}";
}

std::string textItem(const std::string& user, const std::string& account, long long ts,
                     const std::string& mid, const std::string& text) {
  return item(user, account, ts,
              "\"message\":{\"mid\":" + quote(mid) + ",\"text\":" + quote(text) + "}");
}

std::string echoItem(const std::string& account, const std::string& user, long long ts,
                     const std::string& mid, const std::string& text) {
  return item(
      account, user, ts,
      "\"message\":{\"mid\":" + quote(mid) + ",\"text\":" + quote(text) + ",\"is_echo\":true}");
}

namespace {
std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}
}  // namespace

std::string entry(const std::string& account, long long time, const std::vector<std::string>& items,
                  const std::vector<std::string>& changes) {
  std::string out = "{\"id\":" + quote(account) + ",\"time\":" + std::to_string(time) +
                    ",\"messaging\":[" + joined(items) + "]";
  if (!changes.empty()) out += ",\"changes\":[" + joined(changes) + "]";
  return out + "}";
}

std::string envelope(const std::vector<std::string>& entries) {
  return "{\"object\":\"instagram\",\"entry\":[" + joined(entries) + "]}";
}

std::string textWebhook(const std::string& user, const std::string& account, long long ts,
                        const std::string& mid, const std::string& text) {
  return envelope({entry(account, ts, {textItem(user, account, ts, mid, text)})});
}

std::string hubSignatureSha1(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out = "sha1=";
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace chathost::testing::edge
