#pragma once
// Cryptographically secure random data (OpenSSL RAND_bytes).

#include <cstddef>
#include <string>

namespace chathost::host {

/// `n` random bytes. Any thread. Aborts the process if the system random generator fails: no
/// secret may ever be made from predictable bytes.
std::string randomBytes(std::size_t n);
/// `bytes` random bytes as lower-case hex (2 * bytes characters). Any thread.
std::string randomHex(std::size_t bytes);

}  // namespace chathost::host
