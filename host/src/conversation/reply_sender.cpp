#include "conversation/reply_sender.h"

namespace chathost::host {

namespace {
constexpr std::int64_t kBusyWindowRetryMs = 50;
}  // namespace

ReplySender::ReplySender(std::shared_ptr<const RegisteredChannel> channel,
                         ConversationServices& services)
    : channel_(std::move(channel)),
      services_(services),
      window_(channel_->description.sendRatePerSecond),
      pacer_(channel_->description.sendRatePerSecond) {}

std::int64_t ReplySender::tryAcquire(const std::string& accountId) {
  if (window_.limit() == 0) return 0;
  if (services_.sharedSendWindow) {
    auto shared = services_.sharedSendWindow(channel_->description.name + ":" + accountId,
                                             static_cast<int>(window_.limit()));
    if (shared) {
      if (sharedWindowDown_.exchange(false))
        services_.logger.info("the shared send window is reachable again");
      return *shared;
    }
    // Redis answers but is busy: ask again shortly rather than pace alone and exceed the rate.
    if (shared.status().code() == sdk::ErrorCode::kTimeout) return kBusyWindowRetryMs;
    // Better to pace on this host alone than to stop sending.
    if (!sharedWindowDown_.exchange(true))
      services_.logger.warning("shared send window unreachable; pacing on this host alone",
                               {{"error", shared.status().message()}});
  }
  return window_.acquire(accountId, services_.clock());
}

std::int64_t ReplySender::nextSlot(const std::string& accountId) {
  return pacer_.nextSlot(accountId, services_.clock());
}

sdk::SendResult ReplySender::sendStored(const sdk::Connection& connection,
                                        const std::string& localId,
                                        const sdk::OutboundMessage& message,
                                        sdk::Status* recorded) {
  using Kind = sdk::SendResult::Kind;
  sdk::SendResult result = channel_->channel->send(connection, message);
  switch (result.kind) {
    case Kind::kSent:
      if (auto s = services_.chats.markSent(localId, result.messageId, services_.clock()); !s) {
        services_.logger.warning("sent, but could not mark the message sent",
                                 {{"localId", localId}, {"error", s.message()}});
        if (recorded) *recorded = s;
      }
      break;
    case Kind::kReauth:
      deactivate(connection, result.error);
      services_.chats.markFailed(localId, result.error);
      break;
    case Kind::kPermanent:
    case Kind::kOutsideWindow:
      services_.chats.markFailed(localId, result.error);
      break;
    case Kind::kRetry:
    case Kind::kThrottled:
      break;
  }
  return result;
}

void ReplySender::deactivate(const sdk::Connection& used, const std::string& why) {
  const std::string& channel = channel_->description.name;
  auto current = services_.connections.get(used.subaccountId, used.agentId, channel);
  services_.cache.invalidateAll();
  if (!current || !*current || !(*current)->connected) return;
  if ((*current)->secrets != used.secrets) return;  // reconnected with new credentials meanwhile
  services_.connections.setActive(used.subaccountId, used.agentId, channel, false, why);
  services_.cache.invalidateAll();
  services_.logger.warning(channel + ": credentials rejected; connection marked inactive",
                           {{"agentId", used.agentId}});
}

sdk::Status ReplySender::toStatus(const sdk::SendResult& result, const std::string& action) const {
  using Kind = sdk::SendResult::Kind;
  const std::string& name = channel_->description.displayName.empty()
                                ? channel_->description.name
                                : channel_->description.displayName;
  switch (result.kind) {
    case Kind::kSent:
      return sdk::Status::ok();
    case Kind::kReauth:
      return {sdk::ErrorCode::kAuthFailed,
              name + " authentication failed. Please reconnect. (" + result.error + ")",
              result.errorMetaJson};
    case Kind::kThrottled:
      return {sdk::ErrorCode::kRateLimited,
              name + " is throttling requests; could not " + action + ": " + result.error,
              result.errorMetaJson};
    case Kind::kOutsideWindow:
      return {sdk::ErrorCode::kOutsideWindow,
              name + " refused the message: the messaging window with this user is closed (" +
                  result.error + ")",
              result.errorMetaJson};
    case Kind::kRetry:
    case Kind::kPermanent:
      break;
  }
  return {sdk::ErrorCode::kApiError, name + " API error, could not " + action + ": " + result.error,
          result.errorMetaJson};
}

}  // namespace chathost::host
