#pragma once
// Parsing of chathost's command line (SPEC section 2). Pure: no I/O.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::host {

struct CommandLine {
  enum class Mode {
    kServe,
    kCheckConfig,
    kPrintConfigSchema,
    kToken,
    kHelp,
    kVersion
  } mode = Mode::kServe;
  std::string configFile;  // empty: configs/chathost.yaml when present, else built-in defaults
  std::vector<std::string> subaccounts;  // token: at least one; "*" = all
  std::string subject = "admin";         // token: the `sub` claim
  std::int64_t ttlSeconds = 3600;        // token
};

/// `args` excludes the program name. Unknown options and missing values are kValidation errors
/// whose message is ready to print.
sdk::Result<CommandLine> parseCommandLine(const std::vector<std::string>& args);

/// The --help text.
std::string usageText();

}  // namespace chathost::host
