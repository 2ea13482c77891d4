#pragma once
// QR codes as PNG data URLs, for the connect answers of the Meta channels (ig.me and m.me links).

#include <chathost/sdk/status.h>

#include <string>
#include <string_view>

namespace chathost::meta {

/// Encodes `text` as a QR code (error correction M, 8 px per module, 4-module quiet zone) and
/// returns `data:image/png;base64,...`. kInternal when encoding fails (e.g. text too long).
sdk::Result<std::string> qrDataUrl(std::string_view text);

}  // namespace chathost::meta
