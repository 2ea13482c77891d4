#pragma once
// Attachments an agent sends with its reply (AgentReply::attachments), as rules configs and http
// agents' answers write them: `{"type": "image", "url": "https://..."}`. Include it only from
// .cpp files: it pulls in Poco::JSON.

#include "agents/agents.h"
#include "common/json_io.h"

#include <chathost/sdk/status.h>

#include <cstddef>
#include <string>

namespace chathost::host {

/// The most attachments one reply carries.
inline constexpr std::size_t kMaxReplyAttachments = 4;

/// `v` as an attachment: an object whose `type` is image, video, audio or file and whose `url`
/// passes mediaUrlProblem() (common/media_url.h). Other members are not looked at (configs reject
/// them on their own). kValidation naming `field` and the member ("config.rules[0].attachment.url
/// must be ...") when not. Pure.
sdk::Result<ReplyAttachment> readReplyAttachment(const json::Var& v, const std::string& field);

}  // namespace chathost::host
