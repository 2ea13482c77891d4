#pragma once
// The chathost subcommands; each returns the process exit code.

#include "app/command_line.h"

#include <string>

namespace chathost::host {

int runServe(const CommandLine& cl, const std::string& executablePath);
int runCheckConfig(const CommandLine& cl, const std::string& executablePath);
int runPrintConfigSchema();
int runToken(const CommandLine& cl);

}  // namespace chathost::host
