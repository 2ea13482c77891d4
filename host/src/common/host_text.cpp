#include "common/host_text.h"

#include <cctype>

namespace chathost::host {

bool isHostAndPortText(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
        c != '[' && c != ']')
      return false;
  return true;
}

}  // namespace chathost::host
