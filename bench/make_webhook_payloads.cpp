// Writes N pre-signed Instagram webhook deliveries, one per line as "<signature>\t<body>", each
// from a distinct user with a distinct mid, for bench/webhook.lua.
// Usage: make_webhook_payloads COUNT SECRET ACCOUNT_ID OUT_FILE

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace {

std::string hmacHex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: make_webhook_payloads COUNT SECRET ACCOUNT_ID OUT_FILE\n";
    return 2;
  }
  const long count = std::stol(argv[1]);
  const std::string secret = argv[2];
  const std::string account = argv[3];
  std::ofstream out(argv[4], std::ios::binary);
  const long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  for (long i = 0; i < count; ++i) {
    const std::string user = std::to_string(900000000000000LL + i);
    const std::string ts = std::to_string(now + i);
    const std::string body = "{\"object\":\"instagram\",\"entry\":[{\"id\":\"" + account +
                             "\",\"time\":" + ts + ",\"messaging\":[{\"sender\":{\"id\":\"" + user +
                             "\"},\"recipient\":{\"id\":\"" + account + "\"},\"timestamp\":" + ts +
                             ",\"message\":{\"mid\":\"aWdfZAbench" + std::to_string(i) +
                             "\",\"text\":\"Hi! What is the price of the blue one?\"}}]}]}";
    out << "sha256=" << hmacHex(secret, body) << '\t' << body << '\n';
  }
  return 0;
}
