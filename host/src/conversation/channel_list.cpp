#include "conversation/channel_list.h"

#include "common/json_io.h"

#include <algorithm>

namespace chathost::host {
namespace {

Poco::JSON::Object::Ptr describe(const sdk::ChannelDescription& d) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("name", d.name);
  out->set("displayName", d.displayName.empty() ? d.name : d.displayName);
  Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
  for (const auto& f : d.connectFields) {
    Poco::JSON::Object::Ptr field = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    field->set("name", f.name);
    field->set("label", f.label.empty() ? f.name : f.label);
    field->set("required", f.required);
    field->set("secret", f.secret);
    fields->add(field);
  }
  out->set("connectFields", fields);
  out->set("maxTextBytes", static_cast<Poco::UInt64>(d.maxTextBytes));
  out->set("replyWindowMs", static_cast<Poco::Int64>(d.replyWindowMs));
  Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
  for (const auto& t : d.messageTags) tags->add(t);
  out->set("messageTags", tags);
  out->set("taggedWindowMs", static_cast<Poco::Int64>(d.taggedWindowMs));
  out->set("sendsAttachments", d.sendsAttachments);
  out->set("sendsSenderActions", d.sendsSenderActions);
  out->set("oauthConnect", d.oauthConnect);
  return out;
}

}  // namespace

std::string channelListJson(std::vector<sdk::ChannelDescription> channels) {
  std::sort(channels.begin(), channels.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& c : channels) list->add(describe(c));
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  root->set("channels", list);
  return json::toText(root);
}

}  // namespace chathost::host
