#include "config/yaml_reader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <sstream>
#include <vector>

namespace chathost::host {
namespace {

// Deeper documents are refused rather than recursed into: configs are a few levels deep.
constexpr int kMaxDepth = 64;

SourcePos toPos(const YAML::Mark& mark) {
  return {std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1};
}

std::string childPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Records where each document's root node starts, without building the documents.
class DocumentMarks : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> roots;
  int documents = 0;

  void OnDocumentStart(const YAML::Mark&) override { ++documents; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { root(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { root(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    root(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    root(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    root(mark);
  }
  void OnMapEnd() override {}

 private:
  void root(const YAML::Mark& mark) {
    if (static_cast<int>(roots.size()) < documents) roots.push_back(mark);
  }
};

// Parses at most two documents: how many there are (0, 1 or 2) and where the second one's root
// starts. Not YAML::LoadAll: on some malformed input (",a:\n :  2.5\n") yaml-cpp 0.7 keeps
// yielding empty documents without consuming anything, and LoadAll never returns.
DocumentMarks firstTwoDocuments(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentMarks marks;
  for (int i = 0; i < 2 && parser.HandleNextDocument(marks); ++i) {
  }
  return marks;
}

class Converter {
 public:
  Converter(const std::string& fileName, const EnvLookup& env) : fileName_(fileName), env_(env) {}

  ConfigNode convert(const YAML::Node& node, const std::string& path, int depth) {
    ConfigNode out;
    out.pos = toPos(node.Mark());
    if (depth > kMaxDepth) {
      error(out.pos, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
      out.invalid = true;
      return out;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        convertScalar(node.Scalar(), path, out);
        break;
      case YAML::NodeType::Sequence:
        out.kind = sdk::ConfigNodeKind::kSequence;
        for (std::size_t i = 0; i < node.size(); ++i)
          out.items.push_back(convert(node[i], path + "[" + std::to_string(i) + "]", depth + 1));
        break;
      case YAML::NodeType::Map:
        out.kind = sdk::ConfigNodeKind::kMap;
        convertMap(node, path, depth, out);
        break;
      default:
        out.kind = sdk::ConfigNodeKind::kNull;
        break;
    }
    return out;
  }

  std::vector<ConfigError> takeErrors() { return std::move(errors_); }

 private:
  void convertScalar(const std::string& text, const std::string& path, ConfigNode& out) {
    out.kind = sdk::ConfigNodeKind::kScalar;
    out.raw = text;
    SubstitutionResult sub = substituteEnv(text, env_);
    out.scalar = std::move(sub.value);
    out.fromEnv = sub.substituted;
    for (const auto& message : sub.errors) {
      error(out.pos, (path.empty() ? std::string() : path + ": ") + message);
      out.invalid = true;
    }
  }

  void convertMap(const YAML::Node& node, const std::string& path, int depth, ConfigNode& out) {
    // Iterating (rather than looking keys up) sees every pair, duplicates included.
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      SourcePos keyPos = toPos(key.Mark());
      if (!key.IsScalar()) {
        error(keyPos,
              (path.empty() ? std::string("top level") : path) + ": keys must be plain strings");
        continue;
      }
      const std::string& name = key.Scalar();
      if (const ConfigEntry* first = out.find(name)) {
        error(keyPos, "duplicate key '" + name + "' in " +
                          (path.empty() ? std::string("top level") : path) +
                          " (first defined at line " + std::to_string(first->keyPos.line) +
                          ", column " + std::to_string(first->keyPos.column) + ")");
        continue;
      }
      ConfigEntry entry{name, keyPos, convert(pair.second, childPath(path, name), depth + 1)};
      // An empty value ("key:") is marked at the next token, often on a later line: point at
      // the key instead.
      if (entry.value.kind == sdk::ConfigNodeKind::kNull && entry.value.pos.line != keyPos.line)
        entry.value.pos = keyPos;
      out.entries.push_back(std::move(entry));
    }
  }

  void error(SourcePos pos, std::string message) {
    errors_.push_back({fileName_, pos.line, pos.column, std::move(message)});
  }

  const std::string& fileName_;
  const EnvLookup& env_;
  std::vector<ConfigError> errors_;
};

}  // namespace

YamlReadResult readYaml(const std::string& text, const std::string& fileName,
                        const EnvLookup& env) {
  YamlReadResult result;
  try {
    const DocumentMarks docs = firstTwoDocuments(text);
    if (docs.documents > 1) {
      SourcePos pos = toPos(docs.roots.size() > 1 ? docs.roots[1] : YAML::Mark());
      result.errors.push_back(
          {fileName, pos.line, pos.column, "only one YAML document is allowed in a config file"});
      return result;
    }
    Converter converter(fileName, env);
    result.root = docs.documents == 0 ? ConfigNode{} : converter.convert(YAML::Load(text), "", 0);
    result.errors = converter.takeErrors();
  } catch (const YAML::Exception& e) {
    SourcePos pos = toPos(e.mark);
    result.root.reset();
    result.errors.push_back({fileName, pos.line, pos.column, "YAML syntax error: " + e.msg});
  } catch (const std::exception& e) {
    result.root.reset();
    result.errors.push_back({fileName, 1, 1, std::string("cannot parse YAML: ") + e.what()});
  }
  return result;
}

}  // namespace chathost::host
