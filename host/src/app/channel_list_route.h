#pragma once
// GET /api/database/:subaccountId/channels: the loaded channels, for the dashboard's tabs.

namespace chathost::host {

class ApiRouter;
class ChannelRegistry;

/// `registry` must outlive the router. The list is read at each request: channels come and go
/// with their plugins.
void registerChannelListRoute(ApiRouter& router, const ChannelRegistry& registry);

}  // namespace chathost::host
