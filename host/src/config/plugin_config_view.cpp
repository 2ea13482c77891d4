#include "config/plugin_config_view.h"

#include "config/config_tree.h"
#include "config/value_parsers.h"

namespace chathost::host {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> segments;
  if (path.empty()) return segments;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

const ConfigNode* child(const ConfigNode& node, const std::string& segment) {
  if (node.kind == sdk::ConfigNodeKind::kMap) {
    const ConfigEntry* entry = node.find(segment);
    return entry ? &entry->value : nullptr;
  }
  if (node.kind == sdk::ConfigNodeKind::kSequence) {
    bool digits = !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos;
    std::optional<std::int64_t> index = digits ? parseInteger(segment) : std::nullopt;
    if (index && *index < static_cast<std::int64_t>(node.items.size()))
      return &node.items[static_cast<std::size_t>(*index)];
  }
  return nullptr;
}

}  // namespace

struct PluginConfigView::Impl {
  std::string pluginName;
  std::string fileName;
  std::shared_ptr<const ConfigNode> root;
  SourcePos anchor;

  // The node at `path`, or nullptr; `nearest` gets the deepest existing node on the way.
  const ConfigNode* resolve(const std::string& path, const ConfigNode** nearest = nullptr) const {
    const ConfigNode* node = root.get();
    if (nearest) *nearest = nullptr;
    for (const auto& segment : splitPath(path)) {
      const ConfigNode* next = child(*node, segment);
      if (next == nullptr) return nullptr;
      node = next;
      if (nearest) *nearest = node;
    }
    return node;
  }
};

PluginConfigView::PluginConfigView(std::string pluginName, std::string fileName,
                                   std::shared_ptr<const ConfigNode> root, int anchorLine,
                                   int anchorColumn) {
  if (!root || root->kind == sdk::ConfigNodeKind::kNull) {
    auto empty = std::make_shared<ConfigNode>();
    empty->kind = sdk::ConfigNodeKind::kMap;
    if (root) empty->pos = root->pos;
    root = std::move(empty);
  }
  impl_ = std::make_unique<const Impl>(Impl{std::move(pluginName), std::move(fileName),
                                            std::move(root), SourcePos{anchorLine, anchorColumn}});
}

PluginConfigView::~PluginConfigView() = default;

sdk::ConfigNodeKind PluginConfigView::kind(const std::string& path) const {
  const ConfigNode* node = impl_->resolve(path);
  return node ? node->kind : sdk::ConfigNodeKind::kMissing;
}

std::optional<std::string> PluginConfigView::scalar(const std::string& path) const {
  const ConfigNode* node = impl_->resolve(path);
  if (!node || node->kind != sdk::ConfigNodeKind::kScalar) return std::nullopt;
  return node->scalar;
}

std::vector<std::string> PluginConfigView::keys(const std::string& path) const {
  std::vector<std::string> out;
  const ConfigNode* node = impl_->resolve(path);
  if (node && node->kind == sdk::ConfigNodeKind::kMap)
    for (const auto& entry : node->entries) out.push_back(entry.key);
  return out;
}

std::size_t PluginConfigView::size(const std::string& path) const {
  const ConfigNode* node = impl_->resolve(path);
  return node && node->kind == sdk::ConfigNodeKind::kSequence ? node->items.size() : 0;
}

ConfigError PluginConfigView::locate(const sdk::ConfigIssue& issue) const {
  const ConfigNode* nearest = nullptr;
  impl_->resolve(issue.path, &nearest);
  SourcePos pos = nearest ? nearest->pos : impl_->anchor;
  std::string where = issue.path.empty() ? "config" : "config." + issue.path;
  return {impl_->fileName, pos.line, pos.column,
          "plugin '" + impl_->pluginName + "': " + where + ": " + issue.message};
}

const std::string& PluginConfigView::pluginName() const {
  return impl_->pluginName;
}

}  // namespace chathost::host
