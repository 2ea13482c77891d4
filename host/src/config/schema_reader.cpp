#include "config/schema_reader.h"

#include "config/config_schema.h"
#include "config/value_parsers.h"

#include <chathost/sdk/json.h>

namespace chathost::host {
namespace {

constexpr std::size_t kMaxShownValue = 60;

std::string quote(const std::string& text) {
  if (text.size() <= kMaxShownValue) return "\"" + text + "\"";
  return "\"" + text.substr(0, kMaxShownValue) + "...\"";
}

std::string listChoices(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += choices[i];
  }
  return out;
}

std::string rangeText(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max() || max == std::numeric_limits<int>::max()) {
    return min == 1 ? "a positive integer" : "an integer >= " + std::to_string(min);
  }
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

SchemaNode described(SchemaKind kind, std::string defaultJson) {
  SchemaNode node;
  node.kind = kind;
  node.defaultJson = std::move(defaultJson);
  return node;
}

std::string jsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i > 0 ? ", " : "") + sdk::jsonQuote(items[i]);
  return out + "]";
}

}  // namespace

std::string joinPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string SchemaReader::describeValue(const ConfigNode& node) {
  if (node.kind != sdk::ConfigNodeKind::kScalar) return describeKind(node.kind);
  if (node.fromEnv) return quote(node.raw) + " (after substitution)";
  return quote(node.scalar);
}

void SchemaReader::report(const SourcePos& pos, const std::string& path,
                          const std::string& message) {
  errors_.push_back(
      {fileName_, pos.line, pos.column, path.empty() ? message : path + ": " + message});
}

bool SchemaReader::checkMap(const ConfigNode& node, const std::string& path,
                            const std::vector<std::string>& allowed, Presence presence) {
  if (recorder_) {
    recorder_->map(path, allowed, presence == Presence::kOptional);
    return true;
  }
  if (node.invalid) return false;
  if (node.kind == sdk::ConfigNodeKind::kNull) {
    if (presence == Presence::kRequired) report(node.pos, path, "expected a map");
    return false;
  }
  if (node.kind != sdk::ConfigNodeKind::kMap) {
    report(node.pos, path, std::string("expected a map, got ") + describeKind(node.kind));
    return false;
  }
  for (const auto& entry : node.entries) {
    bool known = false;
    for (const auto& name : allowed) known = known || name == entry.key;
    if (known) continue;
    std::string where = path.empty() ? "at top level" : "in " + path;
    std::string message = "unknown key '" + entry.key + "' " + where;
    if (auto suggestion = closestMatch(entry.key, allowed)) {
      message += " (did you mean '" + *suggestion + "'?)";
    } else {
      message += " (expected one of: ";
      for (std::size_t i = 0; i < allowed.size(); ++i) message += (i > 0 ? ", " : "") + allowed[i];
      message += ")";
    }
    errors_.push_back({fileName_, entry.keyPos.line, entry.keyPos.column, message});
  }
  return true;
}

void SchemaReader::readList(
    const ConfigNode& node, const std::string& path,
    const std::function<void(const ConfigNode&, const std::string&)>& readItem) {
  if (recorder_) {
    recorder_->list(path);
    readItem(ConfigNode{}, path + "[]");
    return;
  }
  if (node.kind == sdk::ConfigNodeKind::kNull || node.invalid) return;
  if (node.kind != sdk::ConfigNodeKind::kSequence) {
    report(node.pos, path, std::string("expected a list, got ") + describeKind(node.kind));
    return;
  }
  for (std::size_t i = 0; i < node.items.size(); ++i)
    readItem(node.items[i], path + "[" + std::to_string(i) + "]");
}

const ConfigNode* SchemaReader::readOpenMap(const ConfigNode& map, const std::string& path,
                                            const std::string& key) {
  if (recorder_) {
    recorder_->openMap(joinPath(path, key));
    return nullptr;
  }
  const ConfigNode* node = value(map, key);
  if (!node || node->kind == sdk::ConfigNodeKind::kMap) return node;
  report(node->pos, joinPath(path, key),
         std::string("expected a map, got ") + describeKind(node->kind));
  return nullptr;
}

const ConfigNode* SchemaReader::value(const ConfigNode& map, const std::string& key) const {
  if (map.kind != sdk::ConfigNodeKind::kMap) return nullptr;
  const ConfigEntry* entry = map.find(key);
  if (!entry || entry->value.kind == sdk::ConfigNodeKind::kNull || entry->value.invalid)
    return nullptr;
  return &entry->value;
}

const ConfigNode* SchemaReader::scalarValue(const ConfigNode& map, const std::string& path,
                                            const std::string& key) {
  const ConfigNode* node = value(map, key);
  if (!node) return nullptr;
  if (node->kind != sdk::ConfigNodeKind::kScalar) {
    report(node->pos, joinPath(path, key),
           std::string("expected a single value, got ") + describeKind(node->kind));
    return nullptr;
  }
  return node;
}

bool SchemaReader::readString(const ConfigNode& map, const std::string& path,
                              const std::string& key, std::string& out, bool allowEmpty) {
  if (recorder_) {
    SchemaNode text = described(SchemaKind::kText, sdk::jsonQuote(out));
    text.allowEmpty = allowEmpty;
    recorder_->value(joinPath(path, key), std::move(text));
    return false;
  }
  const ConfigNode* node = scalarValue(map, path, key);
  if (!node) return false;
  if (!allowEmpty && node->scalar.empty()) {
    report(node->pos, joinPath(path, key), "must not be empty");
    return false;
  }
  out = node->scalar;
  return true;
}

bool SchemaReader::readRequiredString(const ConfigNode& map, const std::string& path,
                                      const std::string& key, std::string& out) {
  if (recorder_) {
    SchemaNode text = described(SchemaKind::kText, "");
    text.allowEmpty = false;
    text.nullable = false;
    text.required = true;
    recorder_->value(joinPath(path, key), std::move(text));
    return false;
  }
  const ConfigEntry* entry = map.kind == sdk::ConfigNodeKind::kMap ? map.find(key) : nullptr;
  if (!entry || entry->value.kind == sdk::ConfigNodeKind::kNull) {
    report(entry ? entry->value.pos : map.pos, path, key + " is required");
    return false;
  }
  return readString(map, path, key, out, false);
}

bool SchemaReader::readInteger(const ConfigNode& map, const std::string& path,
                               const std::string& key, std::int64_t min, std::int64_t max,
                               std::int64_t& out) {
  if (recorder_) {
    SchemaNode integer = described(SchemaKind::kInteger, std::to_string(out));
    integer.minimum = min;
    integer.maximum = max;
    recorder_->value(joinPath(path, key), std::move(integer));
    return false;
  }
  const ConfigNode* node = scalarValue(map, path, key);
  if (!node) return false;
  std::optional<std::int64_t> number = parseInteger(node->scalar);
  if (!number || *number < min || *number > max) {
    report(node->pos, joinPath(path, key),
           "must be " + rangeText(min, max) + ", got " + describeValue(*node));
    return false;
  }
  out = *number;
  return true;
}

bool SchemaReader::readInt(const ConfigNode& map, const std::string& path, const std::string& key,
                           int min, int max, int& out) {
  std::int64_t wide = out;
  if (!readInteger(map, path, key, min, max, wide)) return false;
  out = static_cast<int>(wide);
  return true;
}

bool SchemaReader::readBool(const ConfigNode& map, const std::string& path, const std::string& key,
                            bool& out) {
  if (recorder_) {
    recorder_->value(joinPath(path, key), described(SchemaKind::kBoolean, out ? "true" : "false"));
    return false;
  }
  const ConfigNode* node = scalarValue(map, path, key);
  if (!node) return false;
  std::optional<bool> flag = parseBoolean(node->scalar);
  if (!flag) {
    report(node->pos, joinPath(path, key), "must be true or false, got " + describeValue(*node));
    return false;
  }
  out = *flag;
  return true;
}

bool SchemaReader::readChoice(const ConfigNode& map, const std::string& path,
                              const std::string& key, const std::vector<std::string>& choices,
                              std::string& out) {
  if (recorder_) {
    SchemaNode choice = described(SchemaKind::kChoice, sdk::jsonQuote(out));
    choice.choices = choices;
    recorder_->value(joinPath(path, key), std::move(choice));
    return false;
  }
  const ConfigNode* node = scalarValue(map, path, key);
  if (!node) return false;
  for (const auto& choice : choices) {
    if (node->scalar == choice) {
      out = choice;
      return true;
    }
  }
  std::string message = "must be " + listChoices(choices) + ", got " + describeValue(*node);
  if (!node->fromEnv) {
    if (auto suggestion = closestMatch(node->scalar, choices))
      message += " (did you mean '" + *suggestion + "'?)";
  }
  report(node->pos, joinPath(path, key), message);
  return false;
}

bool SchemaReader::readStringList(const ConfigNode& map, const std::string& path,
                                  const std::string& key, std::vector<std::string>& out) {
  if (recorder_) {
    SchemaNode item = described(SchemaKind::kText, "");
    item.nullable = false;
    item.allowEmpty = false;
    SchemaNode list = described(SchemaKind::kList, jsonList(out));
    list.items.push_back(std::move(item));
    recorder_->value(joinPath(path, key), std::move(list));
    return false;
  }
  const ConfigNode* node = value(map, key);
  if (!node) return false;
  const std::string where = joinPath(path, key);
  if (node->kind != sdk::ConfigNodeKind::kSequence) {
    report(node->pos, where, std::string("expected a list, got ") + describeKind(node->kind));
    return false;
  }
  std::vector<std::string> items;
  bool ok = true;
  for (std::size_t i = 0; i < node->items.size(); ++i) {
    const ConfigNode& item = node->items[i];
    const std::string itemPath = where + "[" + std::to_string(i) + "]";
    if (item.invalid) {
      ok = false;
    } else if (item.kind != sdk::ConfigNodeKind::kScalar) {
      report(item.pos, itemPath,
             std::string("expected a single value, got ") + describeKind(item.kind));
      ok = false;
    } else if (item.scalar.empty()) {
      report(item.pos, itemPath, "must not be empty");
      ok = false;
    } else {
      items.push_back(item.scalar);
    }
  }
  if (ok) out = std::move(items);
  return ok;
}

}  // namespace chathost::host
