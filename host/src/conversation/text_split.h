#pragma once
// Splits long replies into parts a channel accepts (ChannelDescription::maxTextBytes).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

/// Splits `text` into parts of at most `maxBytes` bytes, cutting at the last whitespace that fits,
/// else at the last UTF-8 character boundary; never inside a multi-byte character. Whitespace at a
/// cut is dropped; empty parts are never produced. Text that fits comes back as one part.
std::vector<std::string> splitText(std::string_view text, std::size_t maxBytes);

/// True when `text` is well-formed UTF-8.
bool isValidUtf8(std::string_view text);

}  // namespace chathost::host
