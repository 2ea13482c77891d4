#include "http/route_pattern.h"

#include <algorithm>

#include "http/url_decode.h"

namespace chathost::host {
namespace {

constexpr const char* kParamNameChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

int rank(RoutePattern::Kind kind) {
  switch (kind) {
    case RoutePattern::Kind::kLiteral:
      return 2;
    case RoutePattern::Kind::kParam:
      return 1;
    case RoutePattern::Kind::kRest:
      return 0;
  }
  return 0;
}

// "/a/b/" -> {"a", "b"}, "/" -> {}; raw text, not decoded. Caller checked the leading '/'.
std::vector<std::string_view> rawSegments(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  while (true) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> splitPath(std::string_view rawPath) {
  if (rawPath.empty() || rawPath.front() != '/') return std::nullopt;
  std::vector<std::string> out;
  for (std::string_view raw : rawSegments(rawPath)) {
    auto decoded = percentDecode(raw, false);
    if (!decoded) return std::nullopt;
    out.push_back(std::move(*decoded));
  }
  return out;
}

sdk::Result<RoutePattern> RoutePattern::parse(std::string_view pattern) {
  const std::string quoted = "route pattern \"" + std::string(pattern) + "\"";
  if (pattern.empty() || pattern.front() != '/')
    return sdk::Status::validation(quoted + " must start with '/'");
  RoutePattern out;
  out.text_ = std::string(pattern);
  const auto raw = rawSegments(pattern);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string_view seg = raw[i];
    if (seg.empty()) return sdk::Status::validation(quoted + " has an empty segment");
    if (seg.front() != ':' && seg.front() != '*') {
      out.segments_.push_back({Kind::kLiteral, std::string(seg)});
      continue;
    }
    const Kind kind = seg.front() == ':' ? Kind::kParam : Kind::kRest;
    const std::string name(seg.substr(1));
    if (name.empty() || name.find_first_not_of(kParamNameChars) != std::string::npos)
      return sdk::Status::validation(quoted + " has a bad parameter name \"" + name + "\"");
    if (out.hasParam(name))
      return sdk::Status::validation(quoted + " repeats the parameter \"" + name + "\"");
    if (kind == Kind::kRest && i + 1 != raw.size())
      return sdk::Status::validation(quoted + ": \"*" + name + "\" must be the last segment");
    out.segments_.push_back({kind, name});
  }
  return out;
}

bool RoutePattern::match(const std::vector<std::string>& segments,
                         std::map<std::string, std::string>* params) const {
  const bool endsWithRest = !segments_.empty() && segments_.back().kind == Kind::kRest;
  const std::size_t fixed = endsWithRest ? segments_.size() - 1 : segments_.size();
  if (endsWithRest ? segments.size() < fixed : segments.size() != fixed) return false;
  for (std::size_t i = 0; i < fixed; ++i) {
    const Segment& s = segments_[i];
    if (s.kind == Kind::kLiteral ? segments[i] != s.text : segments[i].empty()) return false;
  }
  if (!params) return true;
  for (std::size_t i = 0; i < fixed; ++i)
    if (segments_[i].kind == Kind::kParam) (*params)[segments_[i].text] = segments[i];
  if (endsWithRest) {
    std::string rest;
    for (std::size_t i = fixed; i < segments.size(); ++i) {
      if (i > fixed) rest.push_back('/');
      rest += segments[i];
    }
    (*params)[segments_.back().text] = std::move(rest);
  }
  return true;
}

int RoutePattern::compareSpecificity(const RoutePattern& other) const {
  const std::size_t n = std::min(segments_.size(), other.segments_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const int a = rank(segments_[i].kind);
    const int b = rank(other.segments_[i].kind);
    if (a != b) return a - b;
  }
  // Same ranks on the common prefix: the longer pattern is the more specific one.
  if (segments_.size() != other.segments_.size())
    return segments_.size() > other.segments_.size() ? 1 : -1;
  return 0;
}

std::string RoutePattern::shape() const {
  if (segments_.empty()) return "/";
  std::string out;
  for (const Segment& s : segments_) {
    out.push_back('/');
    if (s.kind == Kind::kLiteral)
      out += s.text;
    else
      out.push_back(s.kind == Kind::kParam ? ':' : '*');
  }
  return out;
}

bool RoutePattern::hasParam(std::string_view name) const {
  for (const Segment& s : segments_)
    if (s.kind != Kind::kLiteral && s.text == name) return true;
  return false;
}

}  // namespace chathost::host
