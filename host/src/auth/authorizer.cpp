#include "auth/authorizer.h"

namespace chathost::host {
namespace {

// Ids are validated by the router; the cap only keeps a hostile id from bloating the message.
constexpr std::size_t kMaxIdInMessage = 64;

}  // namespace

sdk::Status authorize(const Claims& claims, const std::string& subaccountId) {
  if (claims.allowsSubaccount(subaccountId)) return sdk::Status::ok();
  std::string shown = subaccountId.substr(0, kMaxIdInMessage);
  if (subaccountId.size() > kMaxIdInMessage) shown += "...";
  return {sdk::ErrorCode::kForbidden, "token does not grant access to subaccount " + shown};
}

}  // namespace chathost::host
