#pragma once
// A fake of Meta's Graph API for tests, following INSTAGRAM_FACTS: account lookup (both login
// flavours), the Send API, user profiles, Graph error bodies; plus a control API under /_fake/
// to register accounts, read what was sent and inject faults (5xx, throttling, 190, hangs).
// Pure request -> response logic, thread-safe; the server glue is in main.cpp.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace chathost::fakes {

struct FakeRequest {
  std::string method;
  std::string path;  // without query
  std::map<std::string, std::string> query;
  std::string authorization;  // header value
  std::string body;
};

struct FakeResponse {
  int status = 200;
  std::string body;
  int hangMs = 0;  // the server sleeps this long before answering (simulates a stalled Graph)
};

struct FakeAccount {
  std::string token;
  std::string igId;
  std::string pageId;
  std::string username;
  std::string name;
  std::string accountType = "BUSINESS";
};

struct SentMessage {
  std::string senderId;  // page or IG account id in the path
  std::string recipientId;
  std::string text;
  std::string messageId;
  std::string body;       // the raw request body
  std::int64_t atMs = 0;  // when it was accepted (steady clock, ms)
};

class FakeGraph {
 public:
  FakeResponse handle(const FakeRequest& request);
  void addAccount(const FakeAccount& account);

 private:
  FakeResponse control(const FakeRequest& request);
  FakeResponse graph(const FakeRequest& request);
  bool takeFault(const std::string& path, FakeResponse& out);

  struct Fault {
    std::string match;
    std::string kind;
    int remaining = 1;
    int hangMs = 0;
  };

  std::mutex mutex_;
  std::vector<FakeAccount> accounts_;
  std::vector<SentMessage> sent_;
  std::deque<Fault> faults_;
  std::map<std::string, int> requestCounts_;  // "METHOD path" -> count
  std::uint64_t nextMessageId_ = 1;
};

/// Graph error body `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`.
std::string graphErrorBody(int code, int subcode, const std::string& message,
                           const std::string& type = "OAuthException");

}  // namespace chathost::fakes
