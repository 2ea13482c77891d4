#pragma once
// Names the calling thread, so `top -H`, `perf` and /proc show which part of the host each
// thread is (Linux keeps 15 characters).

#include <string>

namespace chathost::host {

void nameThisThread(const std::string& name);

}  // namespace chathost::host
