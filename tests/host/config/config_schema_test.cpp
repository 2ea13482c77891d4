// The schema recorded from the config definitions: what SchemaReader reports in describe mode,
// that it matches what buildHostConfig() accepts key for key, and its JSON Schema form.
#include "config/config_schema.h"
#include "config/config_key_notes.h"
#include "config/config_loader.h"
#include "config/config_schema_json.h"
#include "config/host_config_builder.h"
#include "config/schema_reader.h"
#include "test_env.h"

#include <chathost/sdk/json.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <functional>

namespace chathost::host {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// --- Describe mode on a small fragment -------------------------------------------------------

struct Fragment {
  int threads = 4;
  std::string mode = "fast";
  bool verbose = true;
  std::vector<std::string> tags{"a"};
};

// A definition in the style of host_config_builder.cpp.
void readFragment(SchemaReader& r, const ConfigNode& root, Fragment& out) {
  if (!r.checkMap(root, "", {"section"})) return;
  const ConfigEntry* entry = root.find("section");
  static const ConfigNode kAbsent;
  const ConfigNode& node = entry ? entry->value : kAbsent;
  if (!r.checkMap(node, "section", {"threads", "mode", "verbose", "tags"})) return;
  r.readInt(node, "section", "threads", 1, 64, out.threads);
  r.readChoice(node, "section", "mode", {"fast", "safe"}, out.mode);
  r.readBool(node, "section", "verbose", out.verbose);
  r.readStringList(node, "section", "tags", out.tags);
}

ConfigSchema describeFragment(Fragment& fragment) {
  SchemaRecorder recorder;
  std::vector<ConfigError> errors;
  SchemaReader r("", errors, &recorder);
  readFragment(r, ConfigNode{}, fragment);
  EXPECT_TRUE(errors.empty());
  return recorder.result();
}

TEST(ConfigSchemaRecorder, DescribesAFragmentWithItsLimitsAndDefaults) {
  Fragment fragment;
  const ConfigSchema schema = describeFragment(fragment);
  EXPECT_TRUE(schema.problems.empty()) << schema.problems.front();
  ASSERT_EQ(schema.root.kind, SchemaKind::kMap);
  const SchemaNode* section = schema.root.find("section");
  ASSERT_NE(section, nullptr);
  EXPECT_EQ(section->kind, SchemaKind::kMap);
  ASSERT_EQ(section->properties.size(), 4u);
  EXPECT_EQ(section->properties[0].name, "threads");  // in the order checkMap lists them
  EXPECT_EQ(section->properties[3].name, "tags");

  const SchemaNode* threads = schema.root.find("section.threads");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->kind, SchemaKind::kInteger);
  EXPECT_EQ(threads->minimum, 1);
  EXPECT_EQ(threads->maximum, 64);
  EXPECT_EQ(threads->defaultJson, "4");
  EXPECT_EQ(schema.root.find("section.mode")->choices, (std::vector<std::string>{"fast", "safe"}));
  EXPECT_EQ(schema.root.find("section.mode")->defaultJson, "\"fast\"");
  EXPECT_EQ(schema.root.find("section.verbose")->defaultJson, "true");
  const SchemaNode* tags = schema.root.find("section.tags");
  ASSERT_EQ(tags->kind, SchemaKind::kList);
  EXPECT_EQ(tags->defaultJson, "[\"a\"]");
  ASSERT_EQ(tags->items.size(), 1u);
  EXPECT_EQ(tags->items[0].kind, SchemaKind::kText);
  EXPECT_FALSE(tags->items[0].allowEmpty);
}

TEST(ConfigSchemaRecorder, DescribingLeavesTheOutputsAlone) {
  Fragment fragment;
  fragment.threads = 7;
  describeFragment(fragment);
  EXPECT_EQ(fragment.threads, 7);
  EXPECT_EQ(fragment.mode, "fast");
  EXPECT_EQ(fragment.tags, std::vector<std::string>{"a"});
}

TEST(ConfigSchemaRecorder, ReportsKeysReadButNotAcceptedAndAcceptedButNotRead) {
  SchemaRecorder recorder;
  std::vector<ConfigError> errors;
  SchemaReader r("", errors, &recorder);
  const ConfigNode absent;
  int value = 0;
  r.checkMap(absent, "", {"kept", "forgotten"});
  r.readInt(absent, "", "kept", 0, 1, value);
  r.readInt(absent, "", "stray", 0, 1, value);
  r.readInt(absent, "unchecked", "x", 0, 1, value);
  const ConfigSchema schema = recorder.result();
  ASSERT_EQ(schema.problems.size(), 3u);
  EXPECT_EQ(schema.problems[0], "stray: read but not among the keys of the top level");
  EXPECT_NE(schema.problems[1].find("unchecked.x"), std::string::npos);
  EXPECT_EQ(schema.problems[2], "forgotten: accepted but never read");
}

// --- The host's definitions --------------------------------------------------------------------

void forEachNode(const SchemaNode& node, const std::string& path,
                 const std::function<void(const SchemaNode&, const std::string&)>& visit) {
  visit(node, path);
  for (const auto& p : node.properties)
    forEachNode(p.schema, path.empty() ? p.name : path + "." + p.name, visit);
  for (const auto& item : node.items) forEachNode(item, path + "[]", visit);
}

std::string parentOf(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

std::string lastKeyOf(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

const std::string kNoTarget = "no.such.key";

// A config (JSON, which is YAML too) giving every key of the schema its default, one item per
// list of maps (keys without a default get "x"), with `replacement` at `target` instead. A target
// that is not a key of its map is added to that map.
std::string document(const SchemaNode& node, const std::string& path, const std::string& target,
                     const std::string& replacement) {
  if (path == target) return replacement;
  switch (node.kind) {
    case SchemaKind::kMap: {
      std::string out;
      auto add = [&](const std::string& key, const std::string& value) {
        out += (out.empty() ? "" : ", ") + sdk::jsonQuote(key) + ": " + value;
      };
      for (const auto& p : node.properties)
        add(p.name,
            document(p.schema, path.empty() ? p.name : path + "." + p.name, target, replacement));
      if (parentOf(target) == path && node.find(lastKeyOf(target)) == nullptr)
        add(lastKeyOf(target), replacement);
      return "{" + out + "}";
    }
    case SchemaKind::kList:
      if (!node.defaultJson.empty() && target.rfind(path + "[]", 0) != 0) return node.defaultJson;
      return "[" + document(node.items.front(), path + "[]", target, replacement) + "]";
    case SchemaKind::kOpenMap:
      return "{}";
    default:
      return node.defaultJson.empty() ? "\"x\"" : node.defaultJson;
  }
}

ConfigLoadResult load(const std::string& text) {
  return loadConfigText(text, "schema.yaml", testing::fakeEnv({}));
}

std::string messages(const ConfigLoadResult& r) {
  return formatErrors(r.errors);
}

TEST(HostConfigSchema, TheDefinitionsHaveNoGaps) {
  const ConfigSchema schema = describeHostConfig();
  for (const auto& problem : schema.problems) ADD_FAILURE() << problem;
  EXPECT_EQ(schema.root.kind, SchemaKind::kMap);
}

TEST(HostConfigSchema, EveryKeyOfTheSchemaIsAcceptedWithItsDefault) {
  const ConfigSchema schema = describeHostConfig();
  const std::string text = document(schema.root, "", kNoTarget, "");
  const ConfigLoadResult r = load(text);
  ASSERT_TRUE(r.config) << text << "\n" << messages(r);
  const HostConfig defaults = defaultConfig();
  EXPECT_EQ(r.config->server.host, defaults.server.host);
  EXPECT_EQ(r.config->server.port, defaults.server.port);
  EXPECT_EQ(r.config->workers.leaseMs, defaults.workers.leaseMs);
  EXPECT_EQ(r.config->agents.envAllowlist, defaults.agents.envAllowlist);
  EXPECT_EQ(r.config->storage.sqliteSynchronous, defaults.storage.sqliteSynchronous);
  ASSERT_EQ(r.config->plugins.size(), 1u);
  EXPECT_EQ(r.config->plugins[0].name, "x");
}

TEST(HostConfigSchema, EveryKeyOfTheSchemaIsReadByTheDefinitions) {
  // A value of the wrong kind at each key is refused, naming that key: the builder reads it.
  const ConfigSchema schema = describeHostConfig();
  int checked = 0;
  forEachNode(schema.root, "", [&](const SchemaNode& node, const std::string& path) {
    if (path.empty() || node.kind == SchemaKind::kMap) return;
    const std::string wrong = node.kind == SchemaKind::kOpenMap ? "[1]" : "{\"a\": 1}";
    const ConfigLoadResult r = load(document(schema.root, "", path, wrong));
    std::string named = path;
    for (std::size_t at; (at = named.find("[]")) != std::string::npos;) named.replace(at, 2, "[0]");
    EXPECT_NE(messages(r).find(named + ": expected a"), std::string::npos) << path << "\n"
                                                                           << messages(r);
    ++checked;
  });
  EXPECT_GT(checked, 40);
}

TEST(HostConfigSchema, EveryClosedMapRefusesOtherKeysAsTheDefinitionsDo) {
  const ConfigSchema schema = describeHostConfig();
  int checked = 0;
  forEachNode(schema.root, "", [&](const SchemaNode& node, const std::string& path) {
    if (node.kind != SchemaKind::kMap) return;
    const std::string target = path.empty() ? "unknown_zz" : path + ".unknown_zz";
    const ConfigLoadResult r = load(document(schema.root, "", target, "1"));
    EXPECT_NE(messages(r).find("unknown key 'unknown_zz'"), std::string::npos) << target << "\n"
                                                                               << messages(r);
    ++checked;
  });
  EXPECT_GE(checked, 12);
}

TEST(HostConfigSchema, CarriesRangesChoicesAndDefaults) {
  const SchemaNode root = describeHostConfig().root;
  const SchemaNode* threads = root.find("server.threads");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->minimum, 1);
  EXPECT_EQ(threads->maximum, 1024);
  EXPECT_EQ(root.find("dedup.redis.port")->maximum, 65535);
  EXPECT_EQ(root.find("workers.lease_ms")->minimum, 100);
  EXPECT_EQ(root.find("storage.backend")->choices,
            (std::vector<std::string>{"sqlite", "postgresql"}));
  EXPECT_EQ(root.find("logging.level")->choices,
            (std::vector<std::string>{"debug", "info", "warning", "error"}));
  EXPECT_EQ(root.find("server.listen")->defaultJson, "\"127.0.0.1:8080\"");
  EXPECT_EQ(root.find("agents.env_allowlist")->defaultJson, "[\"CHATHOST_AGENT_*\"]");
  EXPECT_FALSE(root.find("storage.sqlite.path")->allowEmpty);
  const SchemaNode* plugin = root.find("plugins[]");
  ASSERT_NE(plugin, nullptr);
  EXPECT_FALSE(plugin->nullable);
  EXPECT_TRUE(root.find("plugins[].name")->required);
  EXPECT_EQ(root.find("plugins[].config")->kind, SchemaKind::kOpenMap);
}

TEST(HostConfigSchema, EveryKeyHasANoteAndEveryNoteAKey) {
  const SchemaNode root = describeHostConfig().root;
  const KeyNotes& notes = hostConfigKeyNotes();
  forEachNode(root, "", [&](const SchemaNode&, const std::string& path) {
    if (path.empty()) return;
    EXPECT_EQ(notes.count(path), 1u) << path << " has no description";
  });
  for (const auto& [path, note] : notes) {
    EXPECT_NE(root.find(path), nullptr) << path << " is not a key";
    EXPECT_FALSE(note.description.empty()) << path;
  }
}

// --- The JSON Schema -----------------------------------------------------------------------------

Object::Ptr parsed(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Object::Ptr>();
}

Object::Ptr property(const Object::Ptr& schema, const std::string& key) {
  return schema->getObject("properties")->getObject(key);
}

TEST(ConfigSchemaJson, AFragmentBecomesDraft2020WithClosedMapsAndAlternatives) {
  Fragment fragment;
  const ConfigSchema schema = describeFragment(fragment);
  const std::string text = configSchemaJson(
      schema.root, {{"section.threads", {"how many"}}, {"section.tags[]", {"a tag", "^[a-z]+$"}}});
  const Object::Ptr json = parsed(text);
  EXPECT_EQ(json->getValue<std::string>("$schema"), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_FALSE(json->getValue<bool>("additionalProperties"));
  const Object::Ptr section = property(json, "section");
  EXPECT_FALSE(section->getValue<bool>("additionalProperties"));
  EXPECT_EQ(section->getArray("type")->getElement<std::string>(1), "null");

  const Object::Ptr threads = property(section, "threads");
  EXPECT_EQ(threads->getValue<std::string>("description"), "how many");
  EXPECT_EQ(threads->getValue<int>("default"), 4);
  const Array::Ptr anyOf = threads->getArray("anyOf");
  ASSERT_EQ(anyOf->size(), 4u);  // integer, quoted integer, ${...}, null
  EXPECT_EQ(anyOf->getObject(0)->getValue<int>("minimum"), 1);
  EXPECT_EQ(anyOf->getObject(0)->getValue<int>("maximum"), 64);
  EXPECT_EQ(anyOf->getObject(2)->getValue<std::string>("$ref"), "#/$defs/envReference");

  const Array::Ptr mode = property(section, "mode")->getArray("anyOf");
  EXPECT_EQ(mode->getObject(0)->getArray("enum")->size(), 2u);
  EXPECT_EQ(
      property(section, "verbose")->getArray("anyOf")->getObject(1)->getValue<std::string>("$ref"),
      "#/$defs/booleanWord");

  const Object::Ptr tagItems = property(section, "tags")->getObject("items");
  const Object::Ptr patterned = tagItems->getArray("anyOf")->getObject(0);
  EXPECT_EQ(patterned->getValue<std::string>("pattern"), "^[a-z]+$");
  EXPECT_EQ(patterned->getValue<int>("minLength"), 1);
  EXPECT_TRUE(json->getObject("$defs")->has("envReference"));
}

TEST(ConfigSchemaJson, TheHostSchemaDescribesPluginsAndRequiredNames) {
  const Object::Ptr json =
      parsed(configSchemaJson(describeHostConfig().root, hostConfigKeyNotes()));
  const Object::Ptr item = property(json, "plugins")->getObject("items");
  EXPECT_EQ(item->getValue<std::string>("type"), "object");  // a null item is refused
  EXPECT_EQ(item->getArray("required")->getElement<std::string>(0), "name");
  EXPECT_FALSE(item->getValue<bool>("additionalProperties"));
  EXPECT_TRUE(property(item, "config")->getValue<bool>("additionalProperties"));
  EXPECT_FALSE(property(json, "server")->getValue<bool>("additionalProperties"));
  // An integer whose range is the whole int64 gets no maximum (JSON numbers cannot hold it).
  const Object::Ptr bodyBytes =
      property(property(json, "server"), "max_body_bytes")->getArray("anyOf")->getObject(0);
  EXPECT_FALSE(bodyBytes->has("maximum"));
  EXPECT_EQ(bodyBytes->getValue<int>("minimum"), 1);
}

}  // namespace
}  // namespace chathost::host
