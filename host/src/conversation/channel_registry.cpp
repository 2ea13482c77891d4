#include "conversation/channel_registry.h"

namespace chathost::host {

bool isValidChannelName(const std::string& name) {
  if (name.empty() || name.size() > 32 || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

std::shared_ptr<const RegisteredChannel> ChannelRegistry::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(name);
  return it == channels_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const RegisteredChannel>> ChannelRegistry::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<const RegisteredChannel>> out;
  out.reserve(channels_.size());
  for (const auto& [name, c] : channels_) out.push_back(c);
  return out;
}

void ChannelRegistry::clear() {
  std::lock_guard lock(mutex_);
  channels_.clear();
}

sdk::Status ChannelRegistry::doAdd(std::shared_ptr<sdk::Channel> guarded) {
  if (!guarded) return sdk::Status::validation("no channel given");
  auto entry = std::make_shared<RegisteredChannel>();
  entry->description = guarded->describe();
  entry->channel = std::move(guarded);
  const auto& d = entry->description;
  if (!isValidChannelName(d.name))
    return sdk::Status::validation(
        "channel name '" + d.name +
        "' must be 1-32 of a-z, 0-9, '_' and '-', starting with a letter");
  if (d.maxTextBytes < 16)
    return sdk::Status::validation("channel " + d.name + ": maxTextBytes must be at least 16");
  if (!(d.sendRatePerSecond >= 0))
    return sdk::Status::validation("channel " + d.name + ": sendRatePerSecond must be >= 0");
  {
    std::lock_guard lock(mutex_);
    if (channels_.count(d.name))
      return {sdk::ErrorCode::kConflict, "a channel named " + d.name + " is already registered"};
    channels_.emplace(d.name, entry);
  }
  if (onAdded_) {
    if (auto s = onAdded_(*entry); !s) {
      std::lock_guard lock(mutex_);
      channels_.erase(d.name);
      return s;
    }
  }
  return sdk::Status::ok();
}

}  // namespace chathost::host
