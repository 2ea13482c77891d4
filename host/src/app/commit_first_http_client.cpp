#include "app/commit_first_http_client.h"

#include "storage/storage.h"

namespace chathost::host {

sdk::Result<sdk::HttpResponse> CommitFirstHttpClient::send(const sdk::HttpRequest& request) {
  if (auto s = DeferredCommitScope::commitPending(); !s.isOk()) {
    return sdk::Status::unavailable(
        "not sent: the records written before it could not be stored (" + s.message() + ")");
  }
  return inner_.send(request);
}

}  // namespace chathost::host
