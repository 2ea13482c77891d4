#pragma once
// A stored Page token's credential check, as a Meta channel's refreshCredentials() makes it: the
// due policy, one debug_token call when due, and what the answer means for the connection.

#include <chathost/meta/graph_errors.h>
#include <chathost/meta/graph_settings.h>
#include <chathost/meta/token_debug.h>

#include <chathost/sdk/channel.h>
#include <chathost/sdk/connection.h>
#include <chathost/sdk/http_client.h>

#include <cstdint>

namespace chathost::meta {

/// kInvalid: "the access token expired on <utcDate>; reconnect the account".
sdk::CredentialCheck expiredTokenCheck(std::int64_t tokenExpiresAt);

/// What debug_token's answer means for a Page token: kChecked with its expiry (ms; 0 = does not
/// expire) when valid; kInvalid with the platform's reason when it says the token is not;
/// kFailed when it could not be asked (network, 5xx, throttling, or the app's own credentials
/// refused, 190 included: the Page token is not at fault then). Reasons never hold a secret.
sdk::CredentialCheck pageTokenCheckOutcome(const GraphResult<TokenDebug>& answer);

/// refreshCredentials() for a connection whose `accessToken` secret is a Page token: kUnchanged
/// without a call when it holds none or duePageTokenAction() says kNone; expiredTokenCheck()
/// without a call when it says kExpired; else pageTokenCheckOutcome() of one debugToken().
sdk::CredentialCheck checkPageToken(sdk::HttpClient& http, const GraphSettings& settings,
                                    const sdk::Connection& connection, std::int64_t nowMs);

}  // namespace chathost::meta
