#pragma once
// Strict text encodings of binary data (base64, base64url, hex). Decoders accept only the
// canonical form, so two different strings never decode to the same bytes.

#include <optional>
#include <string>
#include <string_view>

namespace chathost::host {

enum class Base64Alphabet {
  kStandard,  // RFC 4648 section 4, '=' padding required
  kUrl,       // RFC 4648 section 5 without padding, as JWT uses it
};

/// Encodes `bytes` without line breaks. Pure; any thread.
std::string encodeBase64(std::string_view bytes, Base64Alphabet alphabet);
/// Decodes canonical input only: characters of the alphabet, correct padding, zero unused bits.
/// Returns nullopt for anything else. Pure; any thread.
std::optional<std::string> decodeBase64(std::string_view text, Base64Alphabet alphabet);

/// Lower-case hex. Pure; any thread.
std::string encodeHex(std::string_view bytes);
/// Accepts upper- and lower-case digits; nullopt for odd length or a non-hex character.
std::optional<std::string> decodeHex(std::string_view text);

}  // namespace chathost::host
