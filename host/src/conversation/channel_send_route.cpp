// `POST .../<channel>/send`: a person's message (text, media or both) sent now, within the
// platform's messaging windows, and stored in the user's chat.

#include "conversation/channel_routes.h"
#include "conversation/outbound_parts.h"
#include "conversation/send_request.h"

#include <chathost/sdk/json.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace chathost::host {

namespace {
using sdk::jsonQuote;
using sdk::Status;

// A second part (media after text) waits this long at most for a slot of the account's rate.
constexpr std::int64_t kMaxSlotWaitMs = 2000;

std::string nextLocalId(const std::string& operationId, std::int64_t now) {
  static std::atomic<std::uint64_t> counter{0};
  return "send:" + (operationId.empty() ? std::to_string(now) : operationId) + ":" +
         std::to_string(++counter);
}
}  // namespace

sdk::Result<sdk::Response> ChannelRoutes::send(const sdk::Request& req,
                                               const sdk::RouteContext& ctx) {
  if (!ctx.agent) return Status::internal("agent route called without an agent");
  auto request = parseSendRequest(req.body, sender_.description());
  if (!request) return request.status();
  const SendRequest& r = *request;

  auto found = services_.connections.get(ctx.agent->subaccountId, ctx.agent->id, name_);
  if (!found) return found.status();
  if (!*found || !(*found)->connected)
    return Status(sdk::ErrorCode::kNotConnected, displayName_ + " is not connected for this agent");
  const sdk::Connection& conn = **found;

  const std::int64_t now = services_.clock();
  auto chat = services_.chats.ensureChat({conn.subaccountId, conn.agentId, name_, r.to}, now);
  if (!chat) return chat.status();
  if (auto problem = windowProblem(sender_.description(), chat->lastInboundAt, r.tag, now))
    return Status(sdk::ErrorCode::kOutsideWindow, "Not sent: " + *problem + ".");

  // Text and media go as separate messages, text first; each is stored before it is sent.
  std::vector<sdk::OutboundMessage> parts;
  if (!r.text.empty()) parts.push_back(outboundOf(r.to, r.text, "[]"));
  if (r.attachment) parts.push_back(outboundOf(r.to, "", attachmentsJsonOf(*r.attachment)));
  // Every part's slot of the account's rate first: a refusal then sends nothing, so a retry
  // cannot send the text twice.
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::int64_t wait = sender_.tryAcquire(conn.accountId);
    for (std::int64_t waited = 0; wait > 0 && i > 0 && waited + wait <= kMaxSlotWaitMs;
         wait = sender_.tryAcquire(conn.accountId)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));
      waited += wait;
    }
    if (wait > 0)
      return Status(sdk::ErrorCode::kRateLimited, "too many messages for this account; retry soon");
  }
  std::string ids, firstId, recipient;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sdk::OutboundMessage& part = parts[i];
    part.tag = r.tag;
    host::Message msg;
    msg.localId = nextLocalId(ctx.operationId, now);
    msg.chatId = chat->chatId;
    msg.direction = "outbound";
    msg.text = part.text;
    msg.attachmentsJson = part.attachment ? attachmentsJsonOf(*part.attachment) : "[]";
    msg.timestamp = services_.clock();
    msg.senderId = conn.accountId;
    msg.status = host::MessageStatus::kPending;
    if (!r.tag.empty()) msg.metaJson = "{\"tag\":" + jsonQuote(r.tag) + "}";
    if (auto added = services_.chats.addMessage(msg); !added) return added.status();

    const sdk::SendResult sent = sender_.sendStored(conn, msg.localId, part);
    if (sent.kind != sdk::SendResult::Kind::kSent) {
      // A send the caller sees fail is not retried by the host: it is failed here too.
      if (sent.kind == sdk::SendResult::Kind::kRetry ||
          sent.kind == sdk::SendResult::Kind::kThrottled)
        services_.chats.markFailed(msg.localId, sent.error);
      services_.logger.warning(
          name_ + " send failed",
          {{"agentId", conn.agentId}, {"operationId", ctx.operationId}, {"error", sent.error}});
      return sender_.toStatus(
          sent, i == 0 ? "send the message"
                       : "send the attachment (the text was sent as " + firstId + ")");
    }
    if (i == 0) firstId = sent.messageId, recipient = sent.recipientId;
    ids += (ids.empty() ? "" : ",") + jsonQuote(sent.messageId);
  }
  return sdk::Response::okJson("{\"messageId\":" + jsonQuote(firstId) + ",\"recipientId\":" +
                               jsonQuote(recipient) + ",\"messageIds\":[" + ids + "]}");
}

}  // namespace chathost::host
