#include "config/config_tree.h"

namespace chathost::host {

const ConfigEntry* ConfigNode::find(const std::string& key) const {
  for (const auto& entry : entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

const char* describeKind(sdk::ConfigNodeKind kind) {
  switch (kind) {
    case sdk::ConfigNodeKind::kMissing:
      return "nothing";
    case sdk::ConfigNodeKind::kNull:
      return "null";
    case sdk::ConfigNodeKind::kScalar:
      return "a scalar";
    case sdk::ConfigNodeKind::kSequence:
      return "a list";
    case sdk::ConfigNodeKind::kMap:
      return "a map";
  }
  return "nothing";
}

}  // namespace chathost::host
