#include "common/message_status.h"

namespace chathost::host {

const char* messageStatusName(sdk::MessageStatus status) {
  switch (status) {
    case sdk::MessageStatus::kReceived:
      return "received";
    case sdk::MessageStatus::kPending:
      return "pending";
    case sdk::MessageStatus::kSent:
      return "sent";
    case sdk::MessageStatus::kFailed:
      return "failed";
    case sdk::MessageStatus::kDeleted:
      return "deleted";
  }
  return "received";
}

sdk::MessageStatus parseMessageStatus(const std::string& name) {
  if (name == "pending") return sdk::MessageStatus::kPending;
  if (name == "sent") return sdk::MessageStatus::kSent;
  if (name == "failed") return sdk::MessageStatus::kFailed;
  if (name == "deleted") return sdk::MessageStatus::kDeleted;
  return sdk::MessageStatus::kReceived;
}

}  // namespace chathost::host
