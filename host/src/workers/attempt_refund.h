#pragma once
// Lets an inbox consumer give back the attempt it is in: the retry it returns did no work (its
// agent already ran as many turns as it may), so it must not use up the event's retry budget.
// A flag of the worker thread, which runs the consumer, because host::ProcessOutcome (SDK ABI)
// has no room for it. Header-only, so consumers need not link the workers.

#include <utility>

namespace chathost::host {

namespace attempt_refund_detail {
inline thread_local bool refunded = false;
}  // namespace attempt_refund_detail

/// For a consumer, on its worker thread, right before it returns a retry.
inline void refundCurrentAttempt() {
  attempt_refund_detail::refunded = true;
}

/// For the dispatcher, after every consumer call: whether the consumer refunded the attempt.
/// Clears the flag.
inline bool takeAttemptRefund() {
  return std::exchange(attempt_refund_detail::refunded, false);
}

}  // namespace chathost::host
