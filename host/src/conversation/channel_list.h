#pragma once
// What the dashboard needs to draw a tab per loaded channel: each channel's self-description,
// without anything that depends on a tenant.

#include <chathost/sdk/channel.h>

#include <string>
#include <vector>

namespace chathost::host {

/// `{"channels":[{name, displayName, connectFields:[{name,label,required,secret}],
/// maxTextBytes, replyWindowMs, messageTags, taggedWindowMs, sendsAttachments,
/// sendsSenderActions, oauthConnect}]}`, sorted by name. Pure.
std::string channelListJson(std::vector<sdk::ChannelDescription> channels);

}  // namespace chathost::host
