#pragma once
// Parses the messaging webhooks of Meta's platforms (Instagram: `object: "instagram"`, Messenger:
// `object: "page"`) into the SDK's normalised events, one per messaging[] / standby[] item. Both
// platforms share the envelope and the event shapes; Messenger's read receipt carries a
// watermark instead of a mid.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <string_view>

namespace chathost::meta {

/// Parses a webhook body of platform `object` ("instagram" | "page"). kValidation when it is not a
/// JSON object with an `entry` array, or when its `object` member names another platform (a body
/// without one is accepted); anything odd inside is kept as kUnknown or counted in `ignored`
/// (`changes` items such as comments, items that are not objects), never fatal. Events come out
/// sorted by timestamp (stable), each with `accountId` = its entry's id and a dedup key that is
/// stable across redeliveries: "mid:<mid>" for messages and echoes, "<kind>:<mid>:..." for events
/// about another message, "<kind>:<sender>:<timestamp>" otherwise. A read receipt without a mid
/// (Messenger's `read: {watermark}`) keeps an empty mid and its watermark in meta `read`. Pure;
/// any thread.
sdk::Result<sdk::ParsedWebhook> parseMessagingWebhook(std::string_view body,
                                                      std::string_view object);

}  // namespace chathost::meta
