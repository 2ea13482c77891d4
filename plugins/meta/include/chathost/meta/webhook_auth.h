#pragma once
// The checks Meta's webhooks need on both channels: the subscription challenge (GET with
// hub.mode, hub.verify_token, hub.challenge) and the X-Hub-Signature-256 of a POST's raw body.

#include <chathost/sdk/connection.h>
#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <string>

namespace chathost::meta {

/// The secret `name` of `connection` ("" when it holds none). Pure.
std::string secretOf(const sdk::Connection& connection, const std::string& name);

/// The verify token a challenge must present: the channel-wide `channelToken` for the
/// channel-wide URL (`connection` null); for a per-agent URL the connection's `verifyToken`, or
/// `channelToken` when it has none; nothing ("") for a disconnected connection. Pure.
std::string expectedVerifyToken(const sdk::Connection* connection, const std::string& channelToken);

/// 200 with hub.challenge as plain text when hub.mode is "subscribe" and hub.verify_token equals
/// `expected` (constant time); kForbidden otherwise, and always when `expected` is empty. Pure.
sdk::Result<sdk::Response> answerChallenge(const sdk::Request& request,
                                           const std::string& expected);

/// The key a webhook POST is signed with: the connected connection's `webhookSecret`, else the
/// app secret. Pure.
std::string signingKeyFor(const sdk::Connection* connection, const std::string& appSecret);

/// Ok when X-Hub-Signature-256 is the HMAC of the raw body keyed by `key`; with no key, ok only
/// when `requireSignature` is false. kForbidden with the reason otherwise. Microseconds; pure.
sdk::Status checkSignature(const sdk::Request& request, const std::string& key,
                           bool requireSignature);

}  // namespace chathost::meta
