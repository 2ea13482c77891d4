#pragma once
// The body of `POST .../<channel>/send` read and checked, and the platform's messaging windows
// (a person may answer within replyWindowMs of the user's last message, or later with a tag).

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chathost::host {

/// A checked send request: a text, an attachment, or both (sent as two messages). Value type.
struct SendRequest {
  std::string to;
  std::string text;
  std::optional<sdk::OutboundAttachment> attachment;
  std::string tag;  // one of the channel's messageTags, or empty
};

/// Reads `body` (`{"to", "message"?, "attachment"?: {"type", "url"}, "tag"?}`) for a channel
/// described by `d`. kValidation naming the field for anything wrong. Pure; any thread.
sdk::Result<SendRequest> parseSendRequest(const std::string& body,
                                          const sdk::ChannelDescription& d);

/// Why a message tagged `tag` (empty: none) may not be sent at `nowMs` to a user whose last
/// message arrived at `lastInboundAt` (0: unknown, then the platform decides); nullopt when it
/// may. In words, with the times the windows closed (UTC). Pure; any thread.
std::optional<std::string> windowProblem(const sdk::ChannelDescription& d,
                                         std::int64_t lastInboundAt, const std::string& tag,
                                         std::int64_t nowMs);

/// `ms` since the epoch as "2026-12-07T16:23:17Z". Pure; any thread.
std::string utcTime(std::int64_t ms);

}  // namespace chathost::host
