#pragma once
// Everything the host lends a plugin.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/config_view.h>
#include <chathost/sdk/http_client.h>
#include <chathost/sdk/kv.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>
#include <chathost/sdk/router.h>

#include <string>

namespace chathost::sdk {

/// The host services given to Plugin::start(). Owned by the host; the context and every reference
/// it returns stay valid until the plugin's stop() returns. The accessors are thread-safe.
class PluginContext {
 public:
  virtual ~PluginContext() = default;
  virtual const ConfigView& config() = 0;
  virtual Logger& logger() = 0;
  virtual Router& router() = 0;
  /// Where a channel plugin registers its channel(s).
  virtual Channels& channels() = 0;
  virtual KeyValue& kv() = 0;
  virtual HttpClient& http() = 0;
  virtual Metrics& metrics() = 0;
  /// A directory the plugin may write to (created by the host).
  virtual std::string dataDirectory() = 0;
};

}  // namespace chathost::sdk
