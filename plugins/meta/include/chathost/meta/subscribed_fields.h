#pragma once
// A node's webhook subscription (subscribed_apps) holds one field list per app, and a POST
// replaces this app's list. Messenger and Instagram (Facebook Login) may subscribe the same
// Facebook Page, so a subscription keeps the fields the app already has there and adds its own.

#include <chathost/meta/graph_errors.h>

#include <string>
#include <string_view>
#include <vector>

namespace chathost::meta {

/// This app's fields in an answer of `GET /{node}/subscribed_apps`
/// (`{"data":[{"id":"<app id>","name":"...","subscribed_fields":["messages",...]},...]}`): the
/// entry whose id is `appId` when it is known, else the only entry when there is exactly one
/// (without an app id several apps cannot be told apart); empty when no entry is this app's.
/// A malformed answer (retryable) when the text is not an object with a `data` array.
GraphResult<std::vector<std::string>> appSubscribedFields(std::string_view answerJson,
                                                          const std::string& appId);

/// The comma-separated union: `existing` first, then each name of the comma-separated `wanted`;
/// every name once, empty names dropped.
std::string fieldUnion(const std::vector<std::string>& existing, std::string_view wanted);

}  // namespace chathost::meta
