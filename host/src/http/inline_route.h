#pragma once
// Routes answered on a network thread. A webhook's acknowledgement needs no handler thread: the
// route checks and parses the body where it was read and hands the events to a commit that
// answers when it is done, so no thread waits and no hand-off costs a context switch.

#include <chathost/sdk/http.h>
#include <chathost/sdk/router.h>
#include <chathost/sdk/status.h>

#include <functional>
#include <string>

namespace chathost::host {

/// Delivers a route's answer: call it exactly once, from any thread.
using InlineReply = std::function<void(sdk::Result<sdk::Response>)>;

/// A variant of a public route's handler that never blocks, run on a network thread. It takes
/// the request (returns true) and answers through `reply`, now or later; or it declines (returns
/// false, `reply` not called) when answering would have to wait, for storage say, and the
/// route's ordinary handler then runs on a handler thread. It must not throw.
using InlineHandler = std::function<bool(const sdk::Request&, InlineReply reply)>;

/// Attaches `handler` to the public route `method pattern`, added before.
using AddInlineHandler =
    std::function<sdk::Status(sdk::Method, const std::string& pattern, InlineHandler handler)>;

}  // namespace chathost::host
