#include "config/config_schema_json.h"

#include "config/value_parsers.h"

#include <chathost/sdk/json.h>

#include <limits>
#include <utility>
#include <vector>

namespace chathost::host {
namespace {

// An ordered JSON value: enough to write a schema whose keys keep the definitions' order.
class Json {
 public:
  static Json text(std::string_view s) { return literal(sdk::jsonQuote(s)); }
  static Json literal(std::string json) {
    Json j(Type::kScalar);
    j.scalar_ = std::move(json);
    return j;
  }
  static Json object() { return Json(Type::kObject); }
  static Json array() { return Json(Type::kArray); }

  Json& set(std::string key, Json value) {
    members_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  Json& add(Json value) {
    elements_.push_back(std::move(value));
    return *this;
  }
  bool empty() const { return members_.empty() && elements_.empty(); }

  void render(std::string& out, int indent) const {
    const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
    const std::string outer(static_cast<std::size_t>(indent), ' ');
    switch (type_) {
      case Type::kScalar:
        out += scalar_;
        return;
      case Type::kObject:
        if (members_.empty()) {
          out += "{}";
          return;
        }
        if (members_.size() == 1 && members_.front().second.type_ == Type::kScalar) {
          out += "{" + sdk::jsonQuote(members_.front().first) + ": " +
                 members_.front().second.scalar_ + "}";  // {"$ref": "..."} on one line
          return;
        }
        out += "{\n";
        for (std::size_t i = 0; i < members_.size(); ++i) {
          out += inner + sdk::jsonQuote(members_[i].first) + ": ";
          members_[i].second.render(out, indent + 2);
          out += i + 1 < members_.size() ? ",\n" : "\n";
        }
        out += outer + "}";
        return;
      case Type::kArray:
        renderArray(out, indent, inner, outer);
        return;
    }
  }

 private:
  enum class Type { kScalar, kObject, kArray };
  explicit Json(Type type) : type_(type) {}

  // Arrays of scalars on one line ("type": ["string", "null"]), others one element a line.
  void renderArray(std::string& out, int indent, const std::string& inner,
                   const std::string& outer) const {
    bool flat = true;
    for (const auto& e : elements_) flat = flat && e.type_ == Type::kScalar;
    out += flat ? "[" : "[\n";
    for (std::size_t i = 0; i < elements_.size(); ++i) {
      if (!flat) out += inner;
      elements_[i].render(out, indent + 2);
      if (i + 1 < elements_.size()) out += flat ? ", " : ",\n";
    }
    out += flat ? "]" : "\n" + outer + "]";
  }

  Type type_;
  std::string scalar_;
  std::vector<std::pair<std::string, Json>> members_;
  std::vector<Json> elements_;
};

constexpr const char* kEnvReference = "#/$defs/envReference";
constexpr const char* kQuotedInteger = "#/$defs/quotedInteger";
constexpr const char* kBooleanWord = "#/$defs/booleanWord";
// substituteEnv()'s reference syntax; `$${` (a literal) matches too, which only makes the
// schema lenient.
constexpr const char* kEnvReferencePattern = "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}";

Json ref(const char* target) {
  return Json::object().set("$ref", Json::text(target));
}

Json types(std::vector<std::string> names, bool nullable) {
  if (nullable) names.emplace_back("null");
  if (names.size() == 1) return Json::text(names.front());
  Json list = Json::array();
  for (const auto& name : names) list.add(Json::text(name));
  return list;
}

// A typed value, or a reference resolved when the file is loaded, or null (the default).
Json alternatives(Json typed, const char* alsoWritten, bool nullable) {
  Json anyOf = Json::array();
  anyOf.add(std::move(typed));
  if (alsoWritten) anyOf.add(ref(alsoWritten));
  anyOf.add(ref(kEnvReference));
  if (nullable) anyOf.add(Json::object().set("type", Json::text("null")));
  return anyOf;
}

std::string childPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

Json nodeSchema(const SchemaNode& node, const std::string& path, const KeyNotes& notes);

// The members of a map node's schema, added to `out` (also used for the root).
void addMapMembers(Json& out, const SchemaNode& node, const std::string& path,
                   const KeyNotes& notes) {
  out.set("type", types({"object"}, node.nullable));
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& property : node.properties) {
    properties.set(property.name,
                   nodeSchema(property.schema, childPath(path, property.name), notes));
    if (property.schema.required) required.add(Json::text(property.name));
  }
  out.set("properties", std::move(properties));
  if (!required.empty()) out.set("required", std::move(required));
  out.set("additionalProperties", Json::literal("false"));
}

void addValueMembers(Json& out, const SchemaNode& node, const std::string& path,
                     const KeyNote* note, const KeyNotes& notes) {
  switch (node.kind) {
    case SchemaKind::kUnknown:  // accepted, never read: anything goes
      return;
    case SchemaKind::kMap:
      addMapMembers(out, node, path, notes);
      return;
    case SchemaKind::kOpenMap:
      out.set("type", types({"object"}, node.nullable));
      out.set("additionalProperties", Json::literal("true"));
      return;
    case SchemaKind::kList:
      out.set("type", types({"array"}, node.nullable));
      if (!node.items.empty()) out.set("items", nodeSchema(node.items.front(), path + "[]", notes));
      return;
    case SchemaKind::kText: {
      // Any single value: YAML's numbers and booleans are text to the host.
      // A custom rule's pattern would refuse a `${NAME}` reference: offer that separately.
      const bool patterned = note != nullptr && !note->pattern.empty();
      Json patternedText = Json::object();
      Json& text = patterned ? patternedText : out;
      text.set("type", types({"string", "number", "boolean"}, node.nullable));
      if (!node.allowEmpty) text.set("minLength", Json::literal("1"));
      if (patterned) {
        text.set("pattern", Json::text(note->pattern));
        out.set("anyOf", Json::array().add(std::move(patternedText)).add(ref(kEnvReference)));
      }
      return;
    }
    case SchemaKind::kInteger: {
      Json integer = Json::object().set("type", Json::text("integer"));
      integer.set("minimum", Json::literal(std::to_string(node.minimum)));
      if (node.maximum != std::numeric_limits<std::int64_t>::max())
        integer.set("maximum", Json::literal(std::to_string(node.maximum)));
      out.set("anyOf", alternatives(std::move(integer), kQuotedInteger, node.nullable));
      return;
    }
    case SchemaKind::kBoolean:
      out.set("anyOf", alternatives(Json::object().set("type", Json::text("boolean")), kBooleanWord,
                                    node.nullable));
      return;
    case SchemaKind::kChoice: {
      Json choices = Json::array();
      for (const auto& choice : node.choices) choices.add(Json::text(choice));
      out.set("anyOf",
              alternatives(Json::object().set("enum", std::move(choices)), nullptr, node.nullable));
      return;
    }
  }
}

Json nodeSchema(const SchemaNode& node, const std::string& path, const KeyNotes& notes) {
  Json out = Json::object();
  const auto it = notes.find(path);
  const KeyNote* note = it == notes.end() ? nullptr : &it->second;
  if (note && !note->description.empty()) out.set("description", Json::text(note->description));
  addValueMembers(out, node, path, note, notes);
  if (!node.defaultJson.empty()) out.set("default", Json::literal(node.defaultJson));
  return out;
}

Json definitions() {
  Json words = Json::array();
  for (std::string_view word : booleanWords()) words.add(Json::text(word));
  return Json::object()
      .set("envReference",
           Json::object()
               .set("description",
                    Json::text("${NAME} or ${NAME:-default}: replaced by the environment "
                               "variable when the file is loaded, then checked"))
               .set("type", Json::text("string"))
               .set("pattern", Json::text(kEnvReferencePattern)))
      .set("quotedInteger",
           Json::object()
               .set("description", Json::text("an integer written as a string, e.g. \"4096\" "
                                              "(its range is checked when the file is loaded)"))
               .set("type", Json::text("string"))
               .set("pattern", Json::text(kIntegerPattern)))
      .set("booleanWord", Json::object()
                              .set("description", Json::text("true or false as a word: yes, "
                                                             "no, on, off, or quoted"))
                              .set("enum", std::move(words)));
}

}  // namespace

std::string configSchemaJson(const SchemaNode& root, const KeyNotes& notes) {
  Json schema = Json::object();
  schema.set("$schema", Json::text("https://json-schema.org/draft/2020-12/schema"));
  schema.set("title", Json::text("chathost configuration"));
  schema.set("description",
             Json::text("chathost's YAML config file, from the definitions chathost "
                        "--check-config uses (chathost --print-config-schema). --check-config "
                        "also checks what a schema cannot: plugins' own config sections, CIDR "
                        "networks, duplicate plugin names and integer ranges of quoted or "
                        "substituted values."));
  addMapMembers(schema, root, "", notes);
  schema.set("$defs", definitions());
  std::string out;
  schema.render(out, 0);
  return out + "\n";
}

}  // namespace chathost::host
