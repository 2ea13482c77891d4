#include "app/commit_first_http_client.h"

#include "storage/storage.h"

namespace chathost::host {

sdk::Result<sdk::HttpResponse> CommitFirstHttpClient::send(const sdk::HttpRequest& request) {
  // A GET changes nothing elsewhere (a profile lookup): it need not wait for a commit.
  if (request.method == sdk::Method::kGet) return inner_.send(request);
  if (auto s = DeferredCommitScope::commitPending(); !s.isOk()) {
    return sdk::Status::unavailable(
        "not sent: the records written before it could not be stored (" + s.message() + ")");
  }
  return inner_.send(request);
}

}  // namespace chathost::host
