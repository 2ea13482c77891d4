#include "app/command_line.h"

#include <charconv>

#include "http/id_rules.h"

namespace chathost::host {
namespace {

sdk::Status missingValue(const std::string& option) {
  return sdk::Status::validation("option " + option + " needs a value (see chathost --help)");
}

bool parseTtl(const std::string& text, std::int64_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && out > 0 && out <= 10LL * 365 * 24 * 3600;
}

// 1..maxLength characters from ' ' to '~': a JWT claim any verifier reads back unchanged.
bool isPrintableAscii(const std::string& text, std::size_t maxLength) {
  if (text.empty() || text.size() > maxLength) return false;
  for (const unsigned char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// `text` for an error message: non-printable bytes as '?', cut to 80 characters.
std::string printable(const std::string& text) {
  std::string out;
  for (const unsigned char c : text.substr(0, 80)) out += (c >= 0x20 && c <= 0x7e) ? char(c) : '?';
  return out;
}

}  // namespace

std::string usageText() {
  return R"(Usage:
  chathost [--config FILE]             run the server (default config: configs/chathost.yaml
                                       when present, else built-in defaults)
  chathost --check-config FILE         validate FILE; print FILE:LINE:COLUMN: message per problem
  chathost --print-config-schema       print the config file's JSON Schema (for editors)
  chathost token [--config FILE] --subaccount ID [--subaccount ID2 ...] [--ttl SECONDS]
                 [--sub NAME]          print a signed JWT for the configured secret
                                       ("*" grants every subaccount; default TTL 3600 s)
  chathost --help | --version

The server logs "listening on http://HOST:PORT" once it accepts connections and stops
gracefully on SIGINT or SIGTERM.
)";
}

sdk::Result<CommandLine> parseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  std::size_t i = 0;
  if (!args.empty() && args[0] == "token") {
    cl.mode = CommandLine::Mode::kToken;
    i = 1;
  }
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) -> sdk::Status {
      if (i + 1 >= args.size()) return missingValue(a);
      out = args[++i];
      return sdk::Status::ok();
    };
    if (a == "--help" || a == "-h") {
      cl.mode = CommandLine::Mode::kHelp;
      return cl;
    }
    if (a == "--version" || a == "-V") {
      cl.mode = CommandLine::Mode::kVersion;
      return cl;
    }
    if (a == "--config" || a == "-c") {
      if (auto s = value(cl.configFile); !s) return s;
    } else if (a.rfind("--config=", 0) == 0) {
      cl.configFile = a.substr(9);
    } else if (a == "--check-config" && cl.mode == CommandLine::Mode::kServe) {
      cl.mode = CommandLine::Mode::kCheckConfig;
      if (auto s = value(cl.configFile); !s) return s;
    } else if (a == "--print-config-schema" && cl.mode == CommandLine::Mode::kServe) {
      cl.mode = CommandLine::Mode::kPrintConfigSchema;
    } else if (cl.mode == CommandLine::Mode::kToken && a == "--subaccount") {
      std::string id;
      if (auto s = value(id); !s) return s;
      // Only ids a request path can name: anything else would make a token no route accepts.
      if (id != "*" && !isValidResourceId(id))
        return sdk::Status::validation(
            "--subaccount must be '*' or 1-64 characters of A-Z a-z "
            "0-9 _ -, got '" +
            printable(id) + "'");
      cl.subaccounts.push_back(id);
    } else if (cl.mode == CommandLine::Mode::kToken && a == "--sub") {
      if (auto s = value(cl.subject); !s) return s;
      if (!isPrintableAscii(cl.subject, 128))
        return sdk::Status::validation("--sub must be 1-128 printable ASCII characters");
    } else if (cl.mode == CommandLine::Mode::kToken && a == "--ttl") {
      std::string ttl;
      if (auto s = value(ttl); !s) return s;
      if (!parseTtl(ttl, cl.ttlSeconds))
        return sdk::Status::validation(
            "--ttl must be a whole number of seconds between 1 and "
            "315360000, got '" +
            ttl + "'");
    } else {
      return sdk::Status::validation("unknown argument '" + a + "' (see chathost --help)");
    }
  }
  if (cl.mode == CommandLine::Mode::kToken && cl.subaccounts.empty())
    return sdk::Status::validation(
        "token needs at least one --subaccount ID (use --subaccount '*' for all)");
  if (cl.mode == CommandLine::Mode::kCheckConfig && cl.configFile.empty())
    return sdk::Status::validation("--check-config needs a FILE");
  return cl;
}

}  // namespace chathost::host
