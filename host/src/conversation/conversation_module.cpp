#include "conversation/conversation_module.h"

#include "conversation/channel_routes.h"
#include "conversation/channel_sign_in.h"
#include "conversation/conversation_engine.h"
#include "conversation/credential_checker.h"
#include "conversation/outbox_sender.h"
#include "conversation/reply_sender.h"
#include "conversation/webhook_ingress.h"

namespace chathost::host {

namespace {
// A turn shorter than this shows no typing: the reply itself is about to arrive.
constexpr std::chrono::milliseconds kTypingDelay{300};
}  // namespace

struct ConversationModule::Mounted {
  ReplySender sender;
  WebhookIngress ingress;
  ChannelRoutes routes;
  ChannelSignIn signIn;
  SenderActions actions;
  ConversationEngine engine;
  OutboxSender outbox;
  CredentialChecker credentials;

  Mounted(const std::shared_ptr<const RegisteredChannel>& channel, ConversationServices& services)
      : sender(channel, services),
        ingress(channel, services),
        routes(sender, services),
        signIn(sender, routes, services),
        actions(sender, services, kTypingDelay),
        engine(sender, services, &actions),
        outbox(sender, services),
        credentials(sender, services) {}
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
  parts->signIn.registerRoutes(router_);
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

void ConversationModule::startCredentialChecks(std::chrono::milliseconds interval) {
  credentialTask_ = std::make_unique<PeriodicTask>(
      interval,
      [this, interval] {
        std::vector<Mounted*> channels;
        {
          std::lock_guard lock(mutex_);
          for (auto& m : mounted_) channels.push_back(m.get());
        }
        for (Mounted* m : channels) m->credentials.runOnce(interval.count(), &stopping_);
      },
      "credential-check");
}

void ConversationModule::stopBackground() {
  stopping_ = true;
  credentialTask_.reset();
  std::vector<Mounted*> channels;
  {
    std::lock_guard lock(mutex_);
    for (auto& m : mounted_) channels.push_back(m.get());
  }
  for (Mounted* m : channels) m->actions.stop();
}

void ConversationModule::clear() {
  stopBackground();  // their runs use the mounted parts
  std::lock_guard lock(mutex_);
  mounted_.clear();
  registry_.clear();
}

}  // namespace chathost::host
