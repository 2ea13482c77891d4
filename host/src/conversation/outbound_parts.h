#pragma once
// How a stored outbound message maps to what a channel sends: a text, or one attachment stored
// in the message's attachments in the contract's shape ([{"type", "payload": {"url"}}]).

#include <chathost/sdk/channel.h>

#include <optional>
#include <string>
#include <string_view>

namespace chathost::host {

/// `[{"type": T, "payload": {"url": U}}]`: how an outbound attachment is stored and shown.
std::string attachmentsJsonOf(const sdk::OutboundAttachment& attachment);

/// The message to send for a stored part: its first attachment when it has one, else its text.
sdk::OutboundMessage outboundOf(const std::string& recipientId, const std::string& text,
                                const std::string& attachmentsJson);

/// Why `attachment` cannot be sent (type not image/video/audio/file, or the URL's
/// mediaUrlProblem(), as "attachment.url ..."); nullopt when it can.
std::optional<std::string> attachmentProblem(const sdk::OutboundAttachment& attachment);

}  // namespace chathost::host
