#include "connect_request.h"

#include "graph_client.h"
#include "json_util.h"

namespace chathost::instagram {

namespace {
using sdk::Status;

// A required (or optional) string member; the error names the field.
Status readField(const JsonObject& body, const std::string& name, bool required, std::string& out) {
  if (!body.has(name) || body.isNull(name)) {
    if (required) return Status::validation(name + " is required");
    return Status::ok();
  }
  if (!body.get(name).isString()) return Status::validation(name + " must be a string");
  out = body.getValue<std::string>(name);
  if (required && out.empty()) return Status::validation(name + " must not be empty");
  return Status::ok();
}

Status checkId(const std::string& name, const std::string& value) {
  if (value.empty() || isGraphId(value)) return Status::ok();
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
  auto body = parseObject(bodyJson);
  if (!body) return Status::validation("request body must be a JSON object");
  ConnectRequest r;
  bool needPage = flavor == ApiFlavor::kFacebook;
  for (const auto& s : {readField(*body, "accessToken", true, r.accessToken),
                        readField(*body, "instagramAccountId", true, r.accountId),
                        readField(*body, "pageId", needPage, r.pageId),
                        readField(*body, "webhookVerificationToken", true, r.verifyToken),
                        readField(*body, "webhookSecret", false, r.webhookSecret),
                        checkId("instagramAccountId", r.accountId), checkId("pageId", r.pageId)})
    if (!s) return s;
  return r;
}

}  // namespace chathost::instagram
