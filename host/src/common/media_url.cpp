#include "common/media_url.h"

namespace chathost::host {
namespace {

// The length of an http:// or https:// prefix of `url` in any case; 0 when it has neither.
std::size_t httpSchemeLength(std::string_view url) {
  for (std::string_view scheme : {std::string_view("https://"), std::string_view("http://")}) {
    if (url.size() < scheme.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < scheme.size() && same; ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == scheme[i];
    }
    if (same) return scheme.size();
  }
  return 0;
}

}  // namespace

std::optional<std::string> mediaUrlProblem(std::string_view url) {
  if (url.size() > kMaxMediaUrlBytes)
    return "must be at most " + std::to_string(kMaxMediaUrlBytes) + " bytes";
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) return "must not contain spaces or control characters";
  const std::size_t scheme = httpSchemeLength(url);
  if (scheme == 0) return "must be an absolute http:// or https:// URL";
  std::string_view authority = url.substr(scheme, url.find_first_of("/?#", scheme) - scheme);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (authority.empty() || authority.front() == ':') return "must name a host";
  return std::nullopt;
}

}  // namespace chathost::host
