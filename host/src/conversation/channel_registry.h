#pragma once
// The channels plugins registered (sdk::Channels): looked up by name on every webhook and send.

#include <chathost/sdk/channel.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace chathost::host {

/// A registered channel and what it said about itself when it was added.
struct RegisteredChannel {
  std::shared_ptr<sdk::Channel> channel;  // the SDK's guard around the plugin's object
  sdk::ChannelDescription description;
};

/// True when `name` can be a path segment and a `channel` value: 1-32 of [a-z0-9_-], starting
/// with a letter. Pure.
bool isValidChannelName(const std::string& name);

/// Thread-safe. Channels are added while plugins start; `onAdded` (set before) mounts the host's
/// routes and inbox consumer for each. clear() drops them all before the plugin libraries unload.
class ChannelRegistry final : public sdk::Channels {
 public:
  using OnAdded = std::function<sdk::Status(const RegisteredChannel&)>;
  void setOnAdded(OnAdded onAdded) { onAdded_ = std::move(onAdded); }

  /// The channel called `name`, or null.
  std::shared_ptr<const RegisteredChannel> find(const std::string& name) const;
  std::vector<std::shared_ptr<const RegisteredChannel>> all() const;
  void clear();

 protected:
  sdk::Status doAdd(std::shared_ptr<sdk::Channel> guarded) override;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const RegisteredChannel>> channels_;
  OnAdded onAdded_;
};

}  // namespace chathost::host
