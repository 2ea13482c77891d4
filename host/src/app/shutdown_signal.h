#pragma once
// SIGINT/SIGTERM handling without async-signal hazards: the signals are blocked in every thread
// and the main thread waits for one with sigwait().

namespace chathost::host {

/// Call first thing in main(), before any thread starts, so every thread inherits the mask.
void blockShutdownSignals();
/// Blocks until SIGINT or SIGTERM arrives; returns the signal number.
int waitForShutdownSignal();

}  // namespace chathost::host
