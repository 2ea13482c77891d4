#pragma once
// A fake remote agent served from the test process on a free loopback port: answers
// POST .../chat/completions like OpenAI and any other POST like an `http` agent ({"reply": ...}),
// records every request, and can be told to fail (HTTP 500), hang, or redirect (HTTP 302 to
// `/redirected` on itself) per path.

#include <memory>
#include <string>
#include <vector>

namespace chathost::testing::edge {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string authorization;
  std::string contentType;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class FakeAgentEndpoint {
 public:
  enum class Mode { kReply, kFail, kHang, kRedirect };

  /// Starts listening at once; `ok()` tells whether it does.
  FakeAgentEndpoint();
  /// Releases hanging requests and stops the server.
  ~FakeAgentEndpoint();
  FakeAgentEndpoint(const FakeAgentEndpoint&) = delete;
  FakeAgentEndpoint& operator=(const FakeAgentEndpoint&) = delete;

  bool ok() const;
  std::string baseUrl() const;
  /// How requests whose path ends with `pathSuffix` are answered (default: kReply).
  void setMode(const std::string& pathSuffix, Mode mode, int hangMs = 0);
  /// The reply text given from now on (both protocols).
  void setReply(const std::string& text);
  /// The whole JSON body an `http` agent request is answered with from now on (e.g. a reply with
  /// an attachment); empty: `{"reply": <the reply text>}` again.
  void setHttpAnswer(const std::string& json);
  std::vector<RecordedRequest> requests() const;
  /// Requests whose path ends with `pathSuffix`.
  std::vector<RecordedRequest> requestsTo(const std::string& pathSuffix) const;

  struct Impl;  // public only so the server's handler (in the .cpp) can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::testing::edge
