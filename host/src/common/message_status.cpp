#include "common/message_status.h"

namespace chathost::host {

const char* messageStatusName(host::MessageStatus status) {
  switch (status) {
    case host::MessageStatus::kReceived:
      return "received";
    case host::MessageStatus::kPending:
      return "pending";
    case host::MessageStatus::kSent:
      return "sent";
    case host::MessageStatus::kFailed:
      return "failed";
    case host::MessageStatus::kDeleted:
      return "deleted";
  }
  return "received";
}

host::MessageStatus parseMessageStatus(const std::string& name) {
  if (name == "pending") return host::MessageStatus::kPending;
  if (name == "sent") return host::MessageStatus::kSent;
  if (name == "failed") return host::MessageStatus::kFailed;
  if (name == "deleted") return host::MessageStatus::kDeleted;
  return host::MessageStatus::kReceived;
}

}  // namespace chathost::host
