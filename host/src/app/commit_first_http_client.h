#pragma once
// The HttpClient handed to plugins and agents: before each request other than a GET it commits
// the writes the calling inbox worker deferred (DeferredCommitScope), so nothing leaves the
// process (a reply sent, an agent asked) before the records that guard it are durable.

#include <chathost/sdk/http_client.h>

namespace chathost::host {

class CommitFirstHttpClient final : public sdk::HttpClient {
 public:
  explicit CommitFirstHttpClient(sdk::HttpClient& inner) : inner_(inner) {}
  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) override;

 private:
  sdk::HttpClient& inner_;
};

}  // namespace chathost::host
