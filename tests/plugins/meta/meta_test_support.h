#pragma once
// Small helpers of the Meta library's unit tests: the payload corpus and message builders.

#include <chathost/sdk/channel.h>

#include <fstream>
#include <sstream>
#include <string>

namespace chathost::meta::testing {

/// A payload of tests/plugins/meta/corpus (real shapes of Meta's messaging webhooks).
inline std::string readCorpus(const std::string& name) {
  std::ifstream in(std::string(META_CORPUS_DIR) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// An ordinary text message (every member named: the struct grows with the SDK).
inline sdk::OutboundMessage textTo(const std::string& recipient, const std::string& text) {
  sdk::OutboundMessage m;
  m.recipientId = recipient;
  m.text = text;
  return m;
}

}  // namespace chathost::meta::testing
