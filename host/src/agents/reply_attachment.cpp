#include "agents/reply_attachment.h"

#include "common/media_url.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace chathost::host {
namespace {

constexpr std::array<std::string_view, 4> kTypes = {"image", "video", "audio", "file"};

}  // namespace

sdk::Result<ReplyAttachment> readReplyAttachment(const json::Var& v, const std::string& field) {
  auto obj = json::asObject(v);
  if (!obj) return sdk::Status::validation(field + " must be an object {type, url}");
  json::Var type = obj->get("type");
  if (!json::isString(type) ||
      std::find(kTypes.begin(), kTypes.end(), type.extract<std::string>()) == kTypes.end()) {
    return sdk::Status::validation(field + ".type must be one of image, video, audio, file");
  }
  json::Var url = obj->get("url");
  if (!json::isString(url)) {
    return sdk::Status::validation(field + ".url must be an absolute http:// or https:// URL");
  }
  const std::string& text = url.extract<std::string>();
  if (auto problem = mediaUrlProblem(text))
    return sdk::Status::validation(field + ".url " + *problem);
  return ReplyAttachment{type.extract<std::string>(), text};
}

}  // namespace chathost::host
