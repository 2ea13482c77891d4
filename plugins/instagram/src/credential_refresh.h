#pragma once
// refreshCredentials(): refreshes Instagram Login tokens before they expire when
// dueCredentialAction() says so, and checks Page tokens (Facebook Login) with debug_token as the
// Meta library does for every Meta channel; no network call when nothing is due.

#include "settings.h"
#include "token_client.h"

#include <chathost/sdk/channel.h>
#include <chathost/sdk/connection.h>
#include <chathost/sdk/http_client.h>

#include <cstdint>

namespace chathost::instagram {

/// Page tokens: meta::checkPageToken() over `http`. Instagram Login tokens: kUnchanged when
/// nothing is due (no call); kInvalid for an expired token (no call) or a refresh refused with
/// 190, with its reason in words; kRefreshed with every secret kept but the new token and its
/// expiry; kFailed when the platform could not be asked (network, 5xx, throttling). Reasons never
/// hold a secret.
sdk::CredentialCheck refreshCredentials(const Settings& settings, const TokenClient& tokens,
                                        sdk::HttpClient& http, const sdk::Connection& connection,
                                        std::int64_t nowMs);

}  // namespace chathost::instagram
