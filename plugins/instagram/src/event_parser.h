#pragma once
// Parses Instagram webhook bodies into the SDK's normalised events, one per messaging[] /
// standby[] item.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <string_view>

namespace chathost::instagram {

/// Parses a webhook body. kValidation when it is not a JSON object with an `entry` array; anything
/// odd inside is kept as kUnknown or counted in `ignored` (`changes` items such as comments,
/// items that are not objects), never fatal. Events come out sorted by timestamp (stable), each
/// with `accountId` = its entry's id and a dedup key that is stable across redeliveries:
/// "mid:<mid>" for messages and echoes, "<kind>:<mid>:..." for events about another message,
/// "<kind>:<sender>:<timestamp>" otherwise. Pure; any thread.
sdk::Result<sdk::ParsedWebhook> parseWebhook(std::string_view body);

}  // namespace chathost::instagram
