#include "secrets/encoding.h"

#include <array>
#include <cstdint>

namespace chathost::host {
namespace {

constexpr std::string_view kStandardChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int kInvalid = -1;

std::string_view charsOf(Base64Alphabet alphabet) {
  return alphabet == Base64Alphabet::kUrl ? kUrlChars : kStandardChars;
}

std::array<int, 256> reverseTable(std::string_view chars) {
  std::array<int, 256> table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    table[static_cast<unsigned char>(chars[i])] = static_cast<int>(i);
  }
  return table;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return kInvalid;
}

}  // namespace

std::string encodeBase64(std::string_view bytes, Base64Alphabet alphabet) {
  const std::string_view chars = charsOf(alphabet);
  const bool pad = alphabet == Base64Alphabet::kStandard;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16 |
                            static_cast<unsigned char>(bytes[i + 1]) << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += chars[n >> 18 & 63];
    out += chars[n >> 12 & 63];
    out += chars[n >> 6 & 63];
    out += chars[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
  if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
  out += chars[n >> 18 & 63];
  out += chars[n >> 12 & 63];
  if (rest == 2) out += chars[n >> 6 & 63];
  if (pad) out.append(3 - rest, '=');
  return out;
}

std::optional<std::string> decodeBase64(std::string_view text, Base64Alphabet alphabet) {
  static const std::array<int, 256> kStandardTable = reverseTable(kStandardChars);
  static const std::array<int, 256> kUrlTable = reverseTable(kUrlChars);
  const auto& table = alphabet == Base64Alphabet::kUrl ? kUrlTable : kStandardTable;

  if (alphabet == Base64Alphabet::kStandard) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
      ++padding;
    }
    text.remove_suffix(padding);
  }
  if (text.size() % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = table[static_cast<unsigned char>(c)];
    if (v == kInvalid) return std::nullopt;
    buffer = (buffer << 6 | static_cast<std::uint32_t>(v)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(buffer >> bits & 0xFF);
    }
  }
  // Leftover bits must be zero: otherwise several encodings would map to the same bytes.
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string encodeHex(std::string_view bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::optional<std::string> decodeHex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hexValue(text[i]);
    const int lo = hexValue(text[i + 1]);
    if (hi == kInvalid || lo == kInvalid) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

}  // namespace chathost::host
