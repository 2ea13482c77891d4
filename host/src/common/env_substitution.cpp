#include "common/env_substitution.h"

#include <cstdlib>

namespace chathost::host {
namespace {

bool isNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9');
}

}  // namespace

bool isValidEnvName(std::string_view name) {
  if (name.empty() || !isNameStart(name.front())) return false;
  for (char c : name)
    if (!isNameChar(c)) return false;
  return true;
}

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

SubstitutionResult substituteEnv(std::string_view text, const EnvLookup& env) {
  SubstitutionResult result;
  std::string& out = result.value;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      result.errors.push_back("unterminated '${' (expected '}'; write '$${' for a literal '${')");
      out.append(text.substr(i));
      break;
    }
    std::string_view body = text.substr(i + 2, close - i - 2);
    std::size_t sep = body.find(":-");
    std::string_view name = body.substr(0, sep);
    std::optional<std::string_view> fallback;
    if (sep != std::string_view::npos) fallback = body.substr(sep + 2);
    i = close + 1;
    if (!isValidEnvName(name)) {
      result.errors.push_back("invalid environment variable name '" + std::string(name) +
                              "' in '${...}' (letters, digits and '_', not starting with a digit)");
      continue;
    }
    std::optional<std::string> value = env ? env(std::string(name)) : std::nullopt;
    result.substituted = true;
    if (fallback && (!value || value->empty())) {
      out.append(*fallback);
    } else if (value) {
      out += *value;
    } else {
      result.errors.push_back("environment variable " + std::string(name) +
                              " is not set (set it, or write ${" + std::string(name) +
                              ":-default} to give a default)");
    }
  }
  return result;
}

}  // namespace chathost::host
