#pragma once
// An inbound event as the inbox keeps it: the channel's normalized event, serialized by the
// host (channels never see this format), with the conversation it belongs to.

#include <chathost/sdk/channel.h>

#include <optional>
#include <string>
#include <string_view>

namespace chathost::host {

/// JSON text of `event`. Attachments and meta that are not a JSON array / object are stored as
/// `[]` / `{}` (a channel's output is checked, not trusted). Pure.
std::string eventToPayload(const sdk::InboundEvent& event);

/// Reverses eventToPayload(); nullopt when `payload` is not one. Pure.
std::optional<sdk::InboundEvent> eventFromPayload(std::string_view payload);

/// Payloads the Instagram plugin recorded before the host owned this format
/// (`{"entryId","standby","subaccountId","agentId","event":<messaging item>}`), as a webhook body
/// holding that one item, for the channel to parse again; nullopt for anything else. Pure.
std::optional<std::string> legacyPayloadAsWebhookBody(std::string_view payload);

/// The inbox ordering key of a conversation: events with one key run one at a time, in order.
/// Agent ids repeat across subaccounts, so it names both ("<subaccount>:<agent>:<user>", the
/// format of events recorded before; ids hold no ':').
std::string conversationKey(const std::string& subaccountId, const std::string& agentId,
                            const std::string& userId);

}  // namespace chathost::host
