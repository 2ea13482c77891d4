#include "connect_request.h"

#include <chathost/meta/graph_api.h>
#include <chathost/meta/json_util.h>

namespace chathost::instagram {

namespace {
using sdk::Status;

Status checkId(const std::string& name, const std::string& value) {
  if (value.empty() || meta::isGraphId(value)) return Status::ok();
  return Status::validation(name + " is not a valid id");
}
}  // namespace

std::vector<sdk::ConnectField> connectFields(ApiFlavor flavor) {
  return {{"accessToken", "Access token", true, true},
          {"instagramAccountId", "Instagram account id", true, false},
          {"pageId", "Facebook Page id", flavor == ApiFlavor::kFacebook, false},
          {"webhookVerificationToken", "Webhook verification token", true, true},
          {"webhookSecret", "Webhook secret", false, true}};
}

sdk::Result<ConnectRequest> parseConnectRequest(std::string_view bodyJson, ApiFlavor flavor) {
  auto body = meta::parseObject(bodyJson);
  if (!body) return Status::validation("request body must be a JSON object");
  ConnectRequest r;
  bool needPage = flavor == ApiFlavor::kFacebook;
  using meta::readStringMember;
  for (const auto& s : {readStringMember(*body, "accessToken", true, r.accessToken),
                        readStringMember(*body, "instagramAccountId", true, r.accountId),
                        readStringMember(*body, "pageId", needPage, r.pageId),
                        readStringMember(*body, "webhookVerificationToken", true, r.verifyToken),
                        readStringMember(*body, "webhookSecret", false, r.webhookSecret),
                        checkId("instagramAccountId", r.accountId), checkId("pageId", r.pageId)})
    if (!s) return s;
  return r;
}

}  // namespace chathost::instagram
