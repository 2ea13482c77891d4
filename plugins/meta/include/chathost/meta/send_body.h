#pragma once
// The Send API's request body for one outbound message: a text, one attachment or a sender action,
// with its messaging type. Pure functions.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/status.h>

#include <string>
#include <vector>

namespace chathost::meta {

/// The message tags the Meta channels accept (OutboundMessage::tag): HUMAN_AGENT only, the one
/// tag both Instagram and Messenger allow for a person's late reply.
const std::vector<std::string>& supportedMessageTags();

/// Why `message` cannot be sent as it is (kValidation): a tag other than the supported ones, an
/// attachment type other than image|video|audio|file, an attachment URL that is not absolute
/// http(s), or text together with an attachment. Sender actions ignore text, attachment and tag.
sdk::Status checkOutbound(const sdk::OutboundMessage& message);

/// "typing_on" | "typing_off" | "mark_seen"; empty for kNone.
const char* senderActionName(sdk::SenderAction action);

/// The JSON body: `{"recipient":{"id"},"sender_action":...}` for an action; otherwise
/// `{"recipient":{"id"},"message":{"text"} or {"attachment":{"type","payload":{"url"}}},
/// "messaging_type":"RESPONSE"}`, or `"messaging_type":"MESSAGE_TAG","tag":<tag>` when tagged.
/// Call checkOutbound() first.
std::string sendApiBody(const sdk::OutboundMessage& message);

}  // namespace chathost::meta
