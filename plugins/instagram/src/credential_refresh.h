#pragma once
// refreshCredentials(): refreshes Instagram Login tokens before they expire and checks Page tokens
// with debug_token, when dueCredentialAction() says so; no network call otherwise.

#include "settings.h"
#include "token_client.h"

#include <chathost/sdk/channel.h>
#include <chathost/sdk/connection.h>

#include <cstdint>

namespace chathost::instagram {

/// kUnchanged when nothing is due (no call) or a check passed with nothing new; kInvalid for an
/// expired token (no call), a refresh refused with 190 or a token debug_token calls invalid, each
/// with its reason in words; kRefreshed with every secret kept but the new token and its expiry
/// (or, for a Page token whose debug_token reports an expiry not yet stored, the same secrets
/// with that expiry); kFailed when the platform could not be asked (network, 5xx, throttling,
/// the app's own credentials refused). Reasons never hold a secret.
sdk::CredentialCheck refreshCredentials(const Settings& settings, const TokenClient& tokens,
                                        const sdk::Connection& connection, std::int64_t nowMs);

}  // namespace chathost::instagram
