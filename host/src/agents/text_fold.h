#pragma once
// Case folding for rule matching.

#include <string>

namespace chathost::host {

/// `text` lower-cased: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals map to their
/// small letters; every other byte sequence (including invalid UTF-8) is kept as is. Pure.
std::string foldCase(const std::string& text);

}  // namespace chathost::host
