#pragma once
// A scripted sdk::Channel for the conversation module's tests. Each operation answers its queued
// results in order, then repeats the last one (a queued function may throw, or change the world
// while "on the network"); with nothing queued it answers a neutral default. Every call is
// recorded with copies of its arguments, for the test to inspect.

#include <chathost/sdk/channel.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace chathost::testing {

/// The answers of one operation: queued answers, taken in order; once they are used up, the last
/// one taken is answered again.
template <typename R>
class Scripted {
 public:
  using Fn = std::function<R()>;
  void then(R value) {
    thenDo([v = std::move(value)] { return v; });
  }
  void thenDo(Fn fn) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(fn));
  }
  /// The next scripted answer, or `fallback()` when nothing was ever scripted.
  R call(const Fn& fallback) {
    Fn fn;
    {
      std::lock_guard lock(mutex_);
      if (!queue_.empty()) {
        last_ = std::move(queue_.front());
        queue_.pop_front();
      }
      fn = last_;
    }
    return fn ? fn() : fallback();
  }

 private:
  std::mutex mutex_;
  std::deque<Fn> queue_;
  Fn last_;  // answered again once the queue is used up
};

class FakeChannel : public sdk::Channel {
 public:
  struct SendCall {
    sdk::Connection connection;
    sdk::OutboundMessage message;
  };
  struct ConnectCall {
    sdk::AgentInfo agent;
    std::string body;
  };
  struct ProfileCall {
    sdk::Connection connection;
    std::string userId;
  };
  struct AuthorizeCall {
    std::string redirectUri;
    std::string state;
  };
  struct CompleteCall {
    sdk::AgentInfo agent;
    std::string code;
    std::string redirectUri;
  };
  struct RefreshCall {
    sdk::Connection connection;
    std::int64_t nowMs = 0;
  };

  FakeChannel() {
    description.name = "fakechat";
    description.displayName = "FakeChat";
    description.maxTextBytes = 100;
    description.sendRatePerSecond = 0;
    description.replyRetrySeconds = 600;
    description.connectFields = {{"token", "Token", true, true}};
  }

  /// What describe() answers (read when the channel is registered).
  sdk::ChannelDescription description;
  bool describeThrows = false;

  Scripted<sdk::Result<sdk::Response>> challenge;
  Scripted<sdk::Status> verify;
  Scripted<sdk::Result<sdk::ParsedWebhook>> parse;
  Scripted<sdk::SendResult> sends;
  Scripted<sdk::Result<sdk::ConnectResult>> connects;
  Scripted<sdk::Status> disconnects;
  Scripted<sdk::Result<std::optional<sdk::UserProfile>>> profiles;
  Scripted<sdk::Result<std::string>> authorizeUrls;
  Scripted<sdk::Result<sdk::ConnectResult>> completions;
  Scripted<sdk::CredentialCheck> refreshes;

  sdk::ChannelDescription describe() const override {
    if (describeThrows) throw std::runtime_error("describe failed");
    return description;
  }

  /// Default: answers "challenge-ok".
  sdk::Result<sdk::Response> answerChallenge(const sdk::Request&,
                                             const sdk::Connection* connection) override {
    record(challengeCalls_, copyOf(connection));
    return challenge.call([] { return sdk::Response::text(200, "challenge-ok"); });
  }
  /// Default: verified.
  sdk::Status verifyWebhook(const sdk::Request&, const sdk::Connection* connection) override {
    record(verifyCalls_, copyOf(connection));
    return verify.call([] { return sdk::Status::ok(); });
  }
  /// Default: not a body of this channel.
  sdk::Result<sdk::ParsedWebhook> parseWebhook(std::string_view body) override {
    record(parsedBodies_, std::string(body));
    return parse.call([]() -> sdk::Result<sdk::ParsedWebhook> {
      return sdk::Status::validation("not a fakechat body");
    });
  }
  /// Default: sent as "sent_1", "sent_2"... (numbered by call).
  sdk::SendResult send(const sdk::Connection& connection,
                       const sdk::OutboundMessage& message) override {
    const std::size_t n = record(sendCalls_, SendCall{connection, message});
    return sends.call(
        [&] { return sdk::SendResult::sent("sent_" + std::to_string(n), message.recipientId); });
  }
  /// Default: kValidation (nothing scripted).
  sdk::Result<sdk::ConnectResult> connect(const sdk::AgentInfo& agent,
                                          std::string_view bodyJson) override {
    record(connectCalls_, ConnectCall{agent, std::string(bodyJson)});
    return connects.call([]() -> sdk::Result<sdk::ConnectResult> {
      return sdk::Status::validation("nothing scripted");
    });
  }
  /// Default: ok.
  sdk::Status disconnect(const sdk::Connection& connection) override {
    record(disconnectCalls_, connection);
    return disconnects.call([] { return sdk::Status::ok(); });
  }
  /// Default: no profile.
  sdk::Result<std::optional<sdk::UserProfile>> fetchProfile(const sdk::Connection& connection,
                                                            const std::string& userId) override {
    record(profileCalls_, ProfileCall{connection, userId});
    return profiles.call([] { return std::optional<sdk::UserProfile>{}; });
  }

  /// Default: the consent page "https://auth.fake/authorize" with the state and redirect URI
  /// appended as given (not encoded).
  sdk::Result<std::string> authorizeUrl(const std::string& redirectUri,
                                        const std::string& state) override {
    record(authorizeCalls_, AuthorizeCall{redirectUri, state});
    return authorizeUrls.call([&]() -> sdk::Result<std::string> {
      return "https://auth.fake/authorize?state=" + state + "&redirect_uri=" + redirectUri;
    });
  }
  /// Default: kValidation (nothing scripted).
  sdk::Result<sdk::ConnectResult> completeAuthorization(const sdk::AgentInfo& agent,
                                                        const std::string& code,
                                                        const std::string& redirectUri) override {
    record(completeCalls_, CompleteCall{agent, code, redirectUri});
    return completions.call([]() -> sdk::Result<sdk::ConnectResult> {
      return sdk::Status::validation("nothing scripted");
    });
  }
  /// Default: kUnchanged (nothing due).
  sdk::CredentialCheck refreshCredentials(const sdk::Connection& connection,
                                          std::int64_t nowMs) override {
    record(refreshCalls_, RefreshCall{connection, nowMs});
    return refreshes.call([] { return sdk::CredentialCheck{}; });
  }

  std::vector<std::optional<sdk::Connection>> challengeCalls() const {
    return get(challengeCalls_);
  }
  std::vector<std::optional<sdk::Connection>> verifyCalls() const { return get(verifyCalls_); }
  std::vector<std::string> parsedBodies() const { return get(parsedBodies_); }
  std::vector<SendCall> sendCalls() const { return get(sendCalls_); }
  std::vector<ConnectCall> connectCalls() const { return get(connectCalls_); }
  std::vector<sdk::Connection> disconnectCalls() const { return get(disconnectCalls_); }
  std::vector<ProfileCall> profileCalls() const { return get(profileCalls_); }
  std::vector<AuthorizeCall> authorizeCalls() const { return get(authorizeCalls_); }
  std::vector<CompleteCall> completeCalls() const { return get(completeCalls_); }
  std::vector<RefreshCall> refreshCalls() const { return get(refreshCalls_); }

 private:
  static std::optional<sdk::Connection> copyOf(const sdk::Connection* c) {
    return c ? std::optional<sdk::Connection>(*c) : std::nullopt;
  }
  template <typename T>
  std::size_t record(std::vector<T>& calls, T call) {
    std::lock_guard lock(mutex_);
    calls.push_back(std::move(call));
    return calls.size();
  }
  template <typename T>
  std::vector<T> get(const std::vector<T>& calls) const {
    std::lock_guard lock(mutex_);
    return calls;
  }

  mutable std::mutex mutex_;
  std::vector<std::optional<sdk::Connection>> challengeCalls_;
  std::vector<std::optional<sdk::Connection>> verifyCalls_;
  std::vector<std::string> parsedBodies_;
  std::vector<SendCall> sendCalls_;
  std::vector<ConnectCall> connectCalls_;
  std::vector<sdk::Connection> disconnectCalls_;
  std::vector<ProfileCall> profileCalls_;
  std::vector<AuthorizeCall> authorizeCalls_;
  std::vector<CompleteCall> completeCalls_;
  std::vector<RefreshCall> refreshCalls_;
};

}  // namespace chathost::testing
