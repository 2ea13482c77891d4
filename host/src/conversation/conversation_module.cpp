#include "conversation/conversation_module.h"

#include "conversation/channel_routes.h"
#include "conversation/conversation_engine.h"
#include "conversation/outbox_sender.h"
#include "conversation/reply_sender.h"
#include "conversation/webhook_ingress.h"

namespace chathost::host {

struct ConversationModule::Mounted {
  ReplySender sender;
  WebhookIngress ingress;
  ChannelRoutes routes;
  ConversationEngine engine;
  OutboxSender outbox;

  Mounted(const std::shared_ptr<const RegisteredChannel>& channel, ConversationServices& services)
      : sender(channel, services),
        ingress(channel, services),
        routes(sender, services),
        engine(sender, services),
        outbox(sender, services) {}
};

ConversationModule::ConversationModule(sdk::Router& router, ConversationServices services,
                                       AddInlineHandler addInline)
    : router_(router), services_(std::move(services)), addInline_(std::move(addInline)) {
  registry_.setOnAdded([this](const RegisteredChannel& c) { return mount(c); });
}

ConversationModule::~ConversationModule() = default;

sdk::Status ConversationModule::mount(const RegisteredChannel& channel) {
  auto shared = registry_.find(channel.description.name);
  if (!shared) return sdk::Status::internal("channel vanished while it was being mounted");
  auto parts = std::make_unique<Mounted>(shared, services_);
  parts->ingress.registerRoutes(router_);
  if (addInline_)
    if (auto s = parts->ingress.registerInline(addInline_); !s)
      services_.logger.warning("webhooks of the channel are answered on handler threads",
                               {{"channel", channel.description.name}, {"error", s.message()}});
  parts->routes.registerRoutes(router_);
  services_.inbox.setConsumer(
      channel.description.name,
      [engine = &parts->engine](const host::InboxEvent& e) { return engine->process(e); });
  services_.outbox.setConsumer(
      channel.description.name,
      [sender = &parts->outbox](const host::InboxEvent& e) { return sender->process(e); });
  std::lock_guard lock(mutex_);
  mounted_.push_back(std::move(parts));
  return sdk::Status::ok();
}

void ConversationModule::clear() {
  std::lock_guard lock(mutex_);
  mounted_.clear();
  registry_.clear();
}

}  // namespace chathost::host
