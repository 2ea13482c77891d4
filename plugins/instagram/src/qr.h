#pragma once
// QR codes as PNG data URLs, for the connect answer.

#include <chathost/sdk/status.h>

#include <string>
#include <string_view>

namespace chathost::instagram {

/// `https://ig.me/m/<username>` with anything outside [A-Za-z0-9._-] percent-encoded.
std::string dmLinkFor(std::string_view username);

/// Encodes `text` as a QR code (error correction M, 8 px per module, 4-module quiet zone) and
/// returns `data:image/png;base64,...`. kInternal when encoding fails (e.g. text too long).
sdk::Result<std::string> qrDataUrl(std::string_view text);

}  // namespace chathost::instagram
