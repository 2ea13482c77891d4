#pragma once
// Segment-based route patterns ("/api/database/:subaccountId/chat-agents"). Pure, no regex.

#include <chathost/sdk/status.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

/// Splits a raw request path ("/a/b%20c/") into percent-decoded segments ({"a", "b c"}). Splitting
/// happens before decoding, so "%2F" stays inside its segment. One trailing slash is ignored.
/// nullopt when the path does not start with '/' or holds a malformed escape.
std::optional<std::vector<std::string>> splitPath(std::string_view rawPath);

/// A parsed pattern. Segments are literals, ":name" (one non-empty segment) or, last only,
/// "*name" (the rest of the path, possibly empty, joined with '/'). Value type; const methods are
/// safe from any thread.
class RoutePattern {
 public:
  enum class Kind { kLiteral, kParam, kRest };
  struct Segment {
    Kind kind;
    std::string text;  // the literal, or the parameter name
  };

  /// Validation error for: no leading '/', empty segments, bad or repeated parameter names, a
  /// "*rest" segment that is not last.
  static sdk::Result<RoutePattern> parse(std::string_view pattern);

  /// True when the pattern matches; then `params` (if given) receives the decoded parameters.
  bool match(const std::vector<std::string>& segments,
             std::map<std::string, std::string>* params) const;

  /// > 0 when this pattern is more specific than `other` (a literal beats a parameter, which
  /// beats a rest segment, comparing from the left), < 0 when less, 0 for the same shape.
  int compareSpecificity(const RoutePattern& other) const;

  /// The pattern with parameter names erased ("/a/:/*"): equal shapes match the same paths.
  std::string shape() const;

  const std::string& text() const { return text_; }
  const std::vector<Segment>& segments() const { return segments_; }
  bool hasParam(std::string_view name) const;

 private:
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace chathost::host
