#pragma once
// Read receipts that name no message. Messenger says "the user has read everything sent before
// this time" (a watermark) instead of naming a message: the receipt is kept on the newest of the
// account's messages it covers, where a receipt naming a message would be kept.

#include "storage/chat_store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// The watermark (ms) of a kRead event's metaJson `{"read":{"watermark":N}}`; nullopt when it
/// has none or it is not a positive integer. Pure.
std::optional<std::int64_t> readWatermark(const std::string& metaJson);

/// The newest outbound message of `messages` (any order) that was sent (has a mid) at or before
/// `watermark`; null when none is. Pure.
const Message* newestReadBy(const std::vector<Message>& messages, std::int64_t watermark);

}  // namespace chathost::host
