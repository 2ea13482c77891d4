#include "agents/endpoint_address_check.h"

#include "common/json_io.h"
#include "outbound/http_target.h"
#include "outbound/ip_address.h"

namespace chathost::host {

sdk::Status checkEndpointAddress(const std::string& type, const std::string& configJson,
                                 const EgressPolicy& policy) {
  const char* member = type == "openai" ? "base_url" : type == "http" ? "url" : nullptr;
  if (member == nullptr) return sdk::Status::ok();
  auto parsed = json::parse(configJson);
  auto config = parsed ? json::asObject(*parsed) : json::ObjectPtr();
  if (!config || !config->has(member) || !json::isString(config->get(member))) {
    return sdk::Status::ok();  // the schema check reports these
  }
  const std::string field = std::string("config.") + member;
  auto target = parseHttpTarget(config->get(member).extract<std::string>());
  if (!target) return sdk::Status::validation(field + " must be an http(s) URL");
  auto address = parseNumericHost(target->host);
  if (!address) return sdk::Status::ok();
  auto decision = policy.check(*address);
  if (decision.allowed) return sdk::Status::ok();
  return sdk::Status::validation(field + " points at " + address->toString() + " (" +
                                 decision.reason +
                                 "): agent endpoints may not reach this host's private networks "
                                 "unless the operator lists them in agents.allow_networks");
}

}  // namespace chathost::host
