#include "conversation/outbound_parts.h"

#include "common/json_io.h"
#include "common/media_url.h"

#include <chathost/sdk/json.h>

namespace chathost::host {

std::string attachmentsJsonOf(const sdk::OutboundAttachment& attachment) {
  return "[{\"type\":" + sdk::jsonQuote(attachment.type) +
         ",\"payload\":{\"url\":" + sdk::jsonQuote(attachment.url) + "}}]";
}

sdk::OutboundMessage outboundOf(const std::string& recipientId, const std::string& text,
                                const std::string& attachmentsJson) {
  sdk::OutboundMessage out;
  out.recipientId = recipientId;
  // Most parts are text: no JSON to parse on the send path.
  if (attachmentsJson.empty() || attachmentsJson == "[]") {
    out.text = text;
    return out;
  }
  if (auto parsed = json::parse(attachmentsJson)) {
    if (auto list = json::asArray(*parsed); list && list->size() > 0) {
      if (auto first = json::asObject(list->get(0))) {
        sdk::OutboundAttachment a;
        a.type = first->optValue<std::string>("type", "");
        if (auto payload = first->getObject("payload"))
          a.url = payload->optValue<std::string>("url", "");
        if (!a.type.empty() && !a.url.empty()) {
          out.attachment = std::move(a);
          return out;
        }
      }
    }
  }
  out.text = text;
  return out;
}

std::optional<std::string> attachmentProblem(const sdk::OutboundAttachment& a) {
  if (a.type != "image" && a.type != "video" && a.type != "audio" && a.type != "file")
    return "attachment.type must be one of image, video, audio, file";
  if (auto problem = mediaUrlProblem(a.url)) return "attachment.url " + *problem;
  return std::nullopt;
}

}  // namespace chathost::host
