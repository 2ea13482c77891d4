#include "app/openapi/channel_schemas.h"

#include "app/openapi/openapi_catalog.h"

namespace chathost::host {
namespace {

json::ArrayPtr stringArray(const std::vector<std::string>& items) {
  json::ArrayPtr out = new Poco::JSON::Array();
  for (const auto& s : items) out->add(s);
  return out;
}

json::ObjectPtr requiring(const std::string& member) {
  json::ObjectPtr o = orderedObject();
  o->set("required", stringArray({member}));
  return o;
}

std::string displayNameOf(const sdk::ChannelDescription& channel) {
  return channel.displayName.empty() ? channel.name : channel.displayName;
}

}  // namespace

json::ObjectPtr connectBodySchema(const sdk::ChannelDescription& channel) {
  json::ObjectPtr schema = orderedObject();
  schema->set("type", "object");
  schema->set("description", "The " + displayNameOf(channel) +
                                 " account to connect, as the channel's connect form asks for it.");
  std::vector<std::string> required;
  json::ObjectPtr properties = orderedObject();
  for (const auto& field : channel.connectFields) {
    json::ObjectPtr p = orderedObject();
    p->set("type", "string");
    if (!field.label.empty()) p->set("title", field.label);
    if (field.required) p->set("minLength", 1);
    if (field.secret) {
      p->set("writeOnly", true);
      p->set("description", "A secret: stored encrypted, never answered back.");
    }
    properties->set(field.name, p);
    if (field.required) required.push_back(field.name);
  }
  schema->set("properties", properties);
  if (!required.empty()) schema->set("required", stringArray(required));
  return schema;
}

json::ObjectPtr sendBodySchema(const sdk::ChannelDescription& channel) {
  const std::string name = displayNameOf(channel);
  json::ObjectPtr schema = orderedObject();
  schema->set("type", "object");
  json::ObjectPtr properties = orderedObject();

  json::ObjectPtr to = orderedObject();
  to->set("type", "string");
  to->set("pattern", "^[A-Za-z0-9_.-]{1,128}$");
  to->set("description",
          "The user's id on " + name + " (the chat's `" + channel.name + "_user_id`).");
  properties->set("to", to);

  json::ObjectPtr message = orderedObject();
  message->set("type", "string");
  message->set("minLength", 1);
  message->set("description",
               "Text of at most " + std::to_string(channel.maxTextBytes) + " bytes of UTF-8.");
  properties->set("message", message);

  if (channel.sendsAttachments) {
    json::ObjectPtr attachment = orderedObject();
    attachment->set("$ref", "#/components/schemas/Attachment");
    properties->set("attachment", attachment);
  }
  if (!channel.messageTags.empty()) {
    json::ObjectPtr tag = orderedObject();
    tag->set("enum", stringArray(channel.messageTags));
    const auto hours = [](std::int64_t ms) { return std::to_string(ms / 3'600'000); };
    tag->set("description", "Lets a person answer after the " + hours(channel.replyWindowMs) +
                                " h reply window, until " + hours(channel.taggedWindowMs) +
                                " h after the user's last message. Agent replies are never "
                                "tagged.");
    properties->set("tag", tag);
  }
  schema->set("properties", properties);
  schema->set("required", stringArray({"to"}));
  if (channel.sendsAttachments) {
    schema->set("description",
                "A message, an attachment, or both (sent as two messages, text first).");
    json::ArrayPtr either = new Poco::JSON::Array();
    either->add(requiring("message"));
    either->add(requiring("attachment"));
    schema->set("anyOf", either);
  } else {
    schema->set("required", stringArray({"to", "message"}));
  }
  return schema;
}

}  // namespace chathost::host
