#pragma once
// Small helpers of the Meta channels' unit tests (the Meta library's, Instagram's, Messenger's):
// payload files, message builders and signed webhook requests.

#include <chathost/meta/signature.h>

#include <chathost/sdk/channel.h>
#include <chathost/sdk/http.h>

#include <fstream>
#include <sstream>
#include <string>

namespace chathost::meta::testing {

/// The bytes of the file at `path` (empty when it cannot be read).
inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#ifdef META_CORPUS_DIR
/// A payload of tests/plugins/meta/corpus (real shapes of Meta's messaging webhooks).
inline std::string readCorpus(const std::string& name) {
  return readFile(std::string(META_CORPUS_DIR) + "/" + name);
}
#endif

/// An ordinary text message (every member named: the struct grows with the SDK).
inline sdk::OutboundMessage textTo(const std::string& recipient, const std::string& text) {
  sdk::OutboundMessage m;
  m.recipientId = recipient;
  m.text = text;
  return m;
}

/// A webhook POST of `body` signed with `secret` (X-Hub-Signature-256), as Meta sends it.
inline sdk::Request signedPost(const std::string& body, const std::string& secret) {
  sdk::Request r;
  r.method = sdk::Method::kPost;
  r.body = body;
  r.headers = {{"X-Hub-Signature-256", "sha256=" + hmacSha256Hex(secret, body)}};
  return r;
}

}  // namespace chathost::meta::testing
