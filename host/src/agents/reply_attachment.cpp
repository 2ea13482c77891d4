#include "agents/reply_attachment.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace chathost::host {
namespace {

constexpr std::array<std::string_view, 4> kTypes = {"image", "video", "audio", "file"};

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

/// A non-empty host after the scheme; the bytes were checked already.
bool hasHost(std::string_view url) {
  std::size_t rest = startsWithIgnoreCase(url, "https://") ? 8 : 7;
  std::string_view authority = url.substr(rest, url.find_first_of("/?#", rest) - rest);
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  return !authority.empty() && authority.front() != ':';
}

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
  if (text.size() > kMaxAttachmentUrlBytes) {
    return sdk::Status::validation(field + ".url must be at most " +
                                   std::to_string(kMaxAttachmentUrlBytes) + " bytes");
  }
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) {
      return sdk::Status::validation(field + ".url must not contain spaces or control characters");
    }
  }
  if (!(startsWithIgnoreCase(text, "http://") || startsWithIgnoreCase(text, "https://")) ||
      !hasHost(text)) {
    return sdk::Status::validation(field + ".url must be an absolute http:// or https:// URL");
  }
  return ReplyAttachment{type.extract<std::string>(), text};
}

}  // namespace chathost::host
