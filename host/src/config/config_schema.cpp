#include "config/config_schema.h"

#include <algorithm>

namespace chathost::host {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> segments;
  if (path.empty()) return segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) return segments;
    start = dot + 1;
  }
}

bool endsWithItems(const std::string& segment) {
  return segment.size() > 2 && segment.compare(segment.size() - 2, 2, "[]") == 0;
}

template <typename Node>
Node* propertyOf(Node& map, const std::string& name) {
  auto it = std::find_if(map.properties.begin(), map.properties.end(),
                         [&](const auto& p) { return p.name == name; });
  return it == map.properties.end() ? nullptr : &it->schema;
}

std::string where(const std::string& path) {
  return path.empty() ? "the top level" : path;
}

void collectUnread(const SchemaNode& node, const std::string& path, std::vector<std::string>& out) {
  if (node.kind == SchemaKind::kUnknown) out.push_back(path + ": accepted but never read");
  for (const auto& property : node.properties)
    collectUnread(property.schema, path.empty() ? property.name : path + "." + property.name, out);
  for (const auto& item : node.items) collectUnread(item, path + "[]", out);
}

}  // namespace

const SchemaNode* SchemaNode::find(const std::string& path) const {
  const SchemaNode* node = this;
  for (std::string segment : splitPath(path)) {
    const bool item = endsWithItems(segment);
    if (item) segment.resize(segment.size() - 2);
    node = propertyOf(*node, segment);
    if (node == nullptr) return nullptr;
    if (item) {
      if (node->items.empty()) return nullptr;
      node = &node->items.front();
    }
  }
  return node;
}

SchemaNode* SchemaRecorder::resolve(const std::string& path) {
  SchemaNode* node = &root_;
  std::string parent;
  for (std::string segment : splitPath(path)) {
    const bool item = endsWithItems(segment);
    if (item) segment.resize(segment.size() - 2);
    if (node->kind != SchemaKind::kMap) {
      problems_.push_back(path + ": read from " + where(parent) + ", which no definition checks");
      return nullptr;
    }
    SchemaNode* next = propertyOf(*node, segment);
    if (next == nullptr) {
      problems_.push_back(path + ": read but not among the keys of " + where(parent));
      return nullptr;
    }
    parent = parent.empty() ? segment : parent + "." + segment;
    if (item) {
      if (next->kind != SchemaKind::kList || next->items.empty()) {
        problems_.push_back(path + ": " + parent + " is not described as a list");
        return nullptr;
      }
      next = &next->items.front();
      parent += "[]";
    }
    node = next;
  }
  return node;
}

void SchemaRecorder::map(const std::string& path, const std::vector<std::string>& keys,
                         bool nullable) {
  SchemaNode* node = resolve(path);
  if (node == nullptr) return;
  node->kind = SchemaKind::kMap;
  node->nullable = nullable;
  for (const auto& key : keys)
    if (propertyOf(*node, key) == nullptr) node->properties.push_back({key, SchemaNode{}});
}

void SchemaRecorder::openMap(const std::string& path) {
  if (SchemaNode* node = resolve(path)) node->kind = SchemaKind::kOpenMap;
}

void SchemaRecorder::list(const std::string& path) {
  SchemaNode* node = resolve(path);
  if (node == nullptr) return;
  node->kind = SchemaKind::kList;
  if (node->items.empty()) node->items.emplace_back();
}

void SchemaRecorder::value(const std::string& path, SchemaNode described) {
  if (SchemaNode* node = resolve(path)) *node = std::move(described);
}

ConfigSchema SchemaRecorder::result() const {
  ConfigSchema schema{root_, problems_};
  collectUnread(root_, "", schema.problems);
  return schema;
}

}  // namespace chathost::host
