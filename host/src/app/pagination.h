#pragma once
// limit/skip query parameters, validated the same way on every list route.

#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

namespace chathost::host {

struct Page {
  int limit = 50;
  int skip = 0;
};

/// limit 1..200 (default 50), skip >= 0 (default 0); anything else is VALIDATION_ERROR naming
/// the parameter.
sdk::Result<Page> parsePage(const sdk::Request& request);

}  // namespace chathost::host
