#pragma once
// The request bodies a channel's description determines: its connect form and what its send
// route takes (text length, attachments, message tags). Include only from .cpp files.

#include "common/json_io.h"

#include <chathost/sdk/channel.h>

namespace chathost::host {

/// JSON Schema of the connect body: one string member per connect field. Pure.
json::ObjectPtr connectBodySchema(const sdk::ChannelDescription& channel);

/// JSON Schema of the send body: `to`, and `message` and/or `attachment` (when the channel sends
/// attachments), and `tag` (when it has message tags). Pure.
json::ObjectPtr sendBodySchema(const sdk::ChannelDescription& channel);

}  // namespace chathost::host
