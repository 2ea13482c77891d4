#pragma once
// The process's open-file limit, raised so that server.max_connections can be reached: the
// default soft limit (often 1024) is far below the default 10,000 connections.

#include <cstdint>

namespace chathost::host {

/// Raises the soft RLIMIT_NOFILE toward `wanted`, never above the hard limit and never lowering
/// it. Returns the soft limit in force afterwards (0 if it cannot be read).
std::uint64_t raiseOpenFileLimit(std::uint64_t wanted);

}  // namespace chathost::host
