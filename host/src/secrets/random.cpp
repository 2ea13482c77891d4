#include "secrets/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "secrets/encoding.h"

namespace chathost::host {

std::string randomBytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t done = 0;
  while (done < n) {
    const std::size_t chunk = std::min<std::size_t>(n - done, INT_MAX);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data() + done), static_cast<int>(chunk)) !=
        1) {
      std::fputs("fatal: the system random number generator failed\n", stderr);
      std::abort();
    }
    done += chunk;
  }
  return out;
}

std::string randomHex(std::size_t bytes) {
  return encodeHex(randomBytes(bytes));
}

}  // namespace chathost::host
