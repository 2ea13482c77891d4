#include "app/channel_list_route.h"

#include "conversation/channel_list.h"
#include "conversation/channel_registry.h"
#include "http/api_router.h"

namespace chathost::host {

void registerChannelListRoute(ApiRouter& router, const ChannelRegistry& registry) {
  router.addRoute(
      sdk::Method::kGet, "/api/database/:subaccountId/channels", "listChannels",
      ApiRouter::Scope::kSubaccount,
      [&registry](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
        std::vector<sdk::ChannelDescription> descriptions;
        for (const auto& channel : registry.all()) descriptions.push_back(channel->description);
        return sdk::Response::okJson(channelListJson(std::move(descriptions)));
      });
}

}  // namespace chathost::host
