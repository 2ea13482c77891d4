#pragma once
// How a Redis error reply maps onto the SDK's error codes.

#include <chathost/sdk/status.h>

#include <string_view>

namespace chathost::host {

/// kUnavailable for replies that mean "the server cannot serve now or is misconfigured for us"
/// (LOADING, BUSY, MASTERDOWN, READONLY, OOM, TRYAGAIN, CLUSTERDOWN, NOAUTH, WRONGPASS, NOPERM),
/// so callers fall back as for a dead Redis; kInternal for anything else (a bug on our side).
sdk::ErrorCode redisErrorCode(std::string_view replyText);

}  // namespace chathost::host
