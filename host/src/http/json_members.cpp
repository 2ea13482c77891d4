#include "http/json_members.h"

#include <cctype>

namespace chathost::host {
namespace {

constexpr int kMaxDepth = 64;

// A cursor over the text; each skip* consumes one grammar element or returns false.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool atEnd() const { return pos_ >= text_.size(); }
  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  std::size_t pos() const { return pos_; }
  std::string_view slice(std::size_t from, std::size_t to) const {
    return text_.substr(from, to - from);
  }

  bool skipString() {
    if (!eat('"')) return false;
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c == '\\') {
        if (pos_ >= text_.size()) return false;
        const char e = text_[pos_++];
        if (e == 'u') {
          for (int i = 0; i < 4; ++i, ++pos_)
            if (pos_ >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[pos_])))
              return false;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }

  bool skipNumber() {
    const std::size_t start = pos_;
    eat('-');
    if (!skipDigits()) return false;
    if (text_[start + (text_[start] == '-' ? 1 : 0)] == '0' &&
        pos_ - start > (text_[start] == '-' ? 2u : 1u))
      return false;  // leading zero
    if (eat('.') && !skipDigits()) return false;
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!skipDigits()) return false;
    }
    return true;
  }

  bool skipValue(int depth) {
    if (depth > kMaxDepth) return false;
    skipSpace();
    if (peek('"')) return skipString();
    if (peek('{')) return skipContainer('{', '}', depth, true);
    if (peek('[')) return skipContainer('[', ']', depth, false);
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return true;
      }
    }
    return skipNumber();
  }

 private:
  bool skipDigits() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool skipContainer(char open, char close, int depth, bool keyed) {
    eat(open);
    skipSpace();
    if (eat(close)) return true;
    while (true) {
      skipSpace();
      if (keyed) {
        if (!skipString()) return false;
        skipSpace();
        if (!eat(':')) return false;
      }
      if (!skipValue(depth + 1)) return false;
      skipSpace();
      if (eat(close)) return true;
      if (!eat(',')) return false;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::vector<JsonMember>> splitJsonObject(std::string_view text) {
  Scanner s(text);
  std::vector<JsonMember> members;
  s.skipSpace();
  if (!s.eat('{')) return std::nullopt;
  s.skipSpace();
  if (!s.eat('}')) {
    while (true) {
      s.skipSpace();
      const std::size_t keyStart = s.pos();
      if (!s.skipString()) return std::nullopt;
      const std::string_view key = s.slice(keyStart + 1, s.pos() - 1);
      s.skipSpace();
      if (!s.eat(':')) return std::nullopt;
      s.skipSpace();
      const std::size_t valueStart = s.pos();
      if (!s.skipValue(1)) return std::nullopt;
      members.push_back({key, s.slice(valueStart, s.pos())});
      s.skipSpace();
      if (s.eat('}')) break;
      if (!s.eat(',')) return std::nullopt;
    }
  }
  s.skipSpace();
  if (!s.atEnd()) return std::nullopt;
  return members;
}

}  // namespace chathost::host
