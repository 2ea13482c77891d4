#pragma once
// A plugin's `config:` subtree as the SDK's read-only ConfigView, plus positions for its issues.

#include "config/config_error.h"

#include <chathost/sdk/config_view.h>

#include <memory>
#include <string>

namespace chathost::host {

struct ConfigNode;

/// Immutable after construction: safe to read from any thread. Cheap to share (shared_ptr).
class PluginConfigView : public sdk::ConfigView {
 public:
  /// `root` is the substituted `config:` value (null or missing = an empty map). `anchor` is the
  /// 1-based position reported for an empty path or one with no existing prefix: the `config:`
  /// key, or the plugin's list item when it has none.
  PluginConfigView(std::string pluginName, std::string fileName,
                   std::shared_ptr<const ConfigNode> root, int anchorLine, int anchorColumn);
  ~PluginConfigView() override;
  PluginConfigView(const PluginConfigView&) = delete;
  PluginConfigView& operator=(const PluginConfigView&) = delete;

  sdk::ConfigNodeKind kind(const std::string& path) const override;
  std::optional<std::string> scalar(const std::string& path) const override;
  std::vector<std::string> keys(const std::string& path) const override;
  std::size_t size(const std::string& path) const override;

  /// The issue at FILE:LINE:COLUMN of the node `issue.path` names, or of its nearest existing
  /// parent; the message names the plugin and the full path.
  ConfigError locate(const sdk::ConfigIssue& issue) const;

  const std::string& pluginName() const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

}  // namespace chathost::host
