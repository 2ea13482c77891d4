#include "conversation/text_split.h"

namespace chathost::host {

namespace {
bool isContinuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}
bool isSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}
}  // namespace

bool isValidUtf8(std::string_view text) {
  // RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + n > text.size()) return false;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return false;
    for (std::size_t k = 2; k < n; ++k)
      if (!isContinuation(static_cast<unsigned char>(text[i + k]))) return false;
    i += n;
  }
  return true;
}

std::vector<std::string> splitText(std::string_view text, std::size_t maxBytes) {
  std::vector<std::string> parts;
  if (maxBytes < 4) maxBytes = 4;  // room for any single UTF-8 character
  std::string_view rest = text;
  while (!rest.empty()) {
    if (rest.size() <= maxBytes) {
      auto last = parts.empty() ? rest : trimSpaces(rest);
      if (!last.empty()) parts.emplace_back(last);
      break;
    }
    // Last character boundary at or before maxBytes.
    std::size_t cut = maxBytes;
    while (cut > 0 && isContinuation(static_cast<unsigned char>(rest[cut]))) --cut;
    if (cut == 0) cut = maxBytes;  // malformed input: cut anywhere rather than loop
    // Prefer the last whitespace before it, unless that would make a tiny part.
    std::size_t space = rest.substr(0, cut + 1).find_last_of(" \n\t\r");
    if (space != std::string_view::npos && space > 0 && space >= maxBytes / 2) cut = space;
    auto part = trimSpaces(rest.substr(0, cut));
    if (!part.empty()) parts.emplace_back(part);
    rest.remove_prefix(cut);
    while (!rest.empty() && isSpace(rest.front())) rest.remove_prefix(1);
  }
  return parts;
}

}  // namespace chathost::host
