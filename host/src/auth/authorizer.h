#pragma once
// Tenancy: may the holder of verified claims act on a subaccount?

#include <chathost/sdk/status.h>

#include <string>

#include "auth/claims.h"

namespace chathost::host {

/// Ok when `claims` grant `subaccountId`; otherwise kForbidden "token does not grant access to
/// subaccount <id>". Pure; any thread.
sdk::Status authorize(const Claims& claims, const std::string& subaccountId);

}  // namespace chathost::host
