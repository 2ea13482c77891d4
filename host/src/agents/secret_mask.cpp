#include "agents/secret_mask.h"

#include "agents/env_ref.h"
#include "common/json_io.h"

#include <algorithm>
#include <cctype>

namespace chathost::host {

bool isSecretKey(const std::string& key) {
  std::string k = key;
  std::transform(k.begin(), k.end(), k.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : {"key", "token", "secret", "password", "auth", "cookie"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string maskSecret(const std::string& value) {
  if (value.empty() || containsEnvRef(value)) return value;
  std::string prefix = value.rfind("sk-", 0) == 0 ? "sk-" : "";
  std::string tail = value.size() >= 12 ? value.substr(value.size() - 4) : "";
  return prefix + "..." + tail;
}

namespace {

void maskObject(json::ObjectPtr obj) {
  for (const auto& name : json::names(obj)) {
    json::Var v = obj->get(name);
    if (auto child = json::asObject(v)) {
      maskObject(child);
    } else if (auto arr = json::asArray(v)) {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        if (auto item = json::asObject(arr->get(static_cast<unsigned>(i)))) maskObject(item);
      }
    } else if (json::isString(v) && isSecretKey(name)) {
      obj->set(name, maskSecret(v.extract<std::string>()));
    }
  }
}

void restoreObject(json::ObjectPtr fresh, const json::ObjectPtr& current) {
  for (const auto& name : json::names(fresh)) {
    if (!current->has(name)) continue;
    json::Var v = fresh->get(name);
    json::Var old = current->get(name);
    auto freshChild = json::asObject(v);
    auto oldChild = json::asObject(old);
    if (freshChild && oldChild) {
      restoreObject(freshChild, oldChild);
    } else if (isSecretKey(name) && json::isString(v) && json::isString(old)) {
      const auto& oldText = old.extract<std::string>();
      const auto& newText = v.extract<std::string>();
      if (newText != oldText && newText == maskSecret(oldText)) fresh->set(name, oldText);
    }
  }
}

}  // namespace

std::string maskConfigSecrets(const std::string& configJson) {
  auto parsed = json::parse(configJson);
  if (!parsed) return "{}";
  auto obj = json::asObject(*parsed);
  if (!obj) return "{}";
  maskObject(obj);
  return json::toText(obj);
}

std::string restoreMaskedSecrets(const std::string& newConfigJson,
                                 const std::string& currentConfigJson) {
  auto fresh = json::parse(newConfigJson);
  auto current = json::parse(currentConfigJson);
  if (!fresh || !current) return newConfigJson;
  auto freshObj = json::asObject(*fresh);
  auto currentObj = json::asObject(*current);
  if (!freshObj || !currentObj) return newConfigJson;
  restoreObject(freshObj, currentObj);
  return json::toText(freshObj);
}

}  // namespace chathost::host
