// Route patterns and request paths (every request's path is matched against the route table).
// Input: pattern NUL raw path NUL second pattern.
// Invariants: a parsed pattern keeps its text and re-parses to the same shape; specificity is
// reflexive-zero and antisymmetric; a match binds exactly the pattern's parameters; splitPath
// yields no empty inner segments apart from what the path holds; percent-encoding any bytes and
// decoding them again gives the bytes back.

#include "fuzz_support.h"
#include "http/route_pattern.h"
#include "http/url_decode.h"

using namespace chathost::host;

namespace {

std::string percentEncodeAll(std::string_view s) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto f = chathost::fuzz::splitFields(data, size, 3);

  // url_decode
  for (const std::string& text : f) {
    FUZZ_CHECK(percentDecode(percentEncodeAll(text), false) == text);
    FUZZ_CHECK(percentDecode(percentEncodeAll(text), true) == text);
    const auto decoded = percentDecode(text, false);
    if (decoded) FUZZ_CHECK(decoded->size() <= text.size());
    if (text.find('%') == std::string::npos) {
      FUZZ_CHECK(decoded == text);
    }
    (void)parseQueryString(text);
  }

  // route_pattern
  const auto segments = splitPath(f[1]);
  if (segments) {
    FUZZ_CHECK(!f[1].empty() && f[1][0] == '/');
    // Re-encoding each segment gives a path that splits the same way.
    std::string rebuilt;
    for (const auto& s : *segments) rebuilt += "/" + percentEncodeAll(s);
    if (segments->empty()) rebuilt = "/";
    if (!segments->empty() && segments->back().empty()) rebuilt += "/";  // one is ignored
    const auto again = splitPath(rebuilt);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *segments);
  }

  auto pattern = RoutePattern::parse(f[0]);
  auto other = RoutePattern::parse(f[2]);
  if (pattern) {
    FUZZ_CHECK(pattern->text() == f[0]);
    auto reparsed = RoutePattern::parse(pattern->text());
    FUZZ_CHECK(reparsed.isOk());
    FUZZ_CHECK(reparsed->shape() == pattern->shape());
    FUZZ_CHECK(pattern->compareSpecificity(*pattern) == 0);
    if (segments) {
      std::map<std::string, std::string> params;
      const bool matched = pattern->match(*segments, &params);
      FUZZ_CHECK(matched == pattern->match(*segments, nullptr));
      if (matched) {
        std::size_t names = 0;
        for (const auto& seg : pattern->segments()) {
          if (seg.kind == RoutePattern::Kind::kLiteral) continue;
          ++names;
          FUZZ_CHECK(params.count(seg.text) == 1);
          FUZZ_CHECK(pattern->hasParam(seg.text));
          if (seg.kind == RoutePattern::Kind::kParam) FUZZ_CHECK(!params[seg.text].empty());
        }
        FUZZ_CHECK(params.size() == names);
      }
    }
    if (other) {
      const int ab = pattern->compareSpecificity(*other);
      const int ba = other->compareSpecificity(*pattern);
      FUZZ_CHECK((ab > 0) == (ba < 0));
      FUZZ_CHECK((ab == 0) == (ba == 0));
      if (pattern->shape() == other->shape()) FUZZ_CHECK(ab == 0);
    }
  }
  return 0;
}
