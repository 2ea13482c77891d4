#pragma once
// A messaging channel, as the host sees it. The channel turns a verified webhook body into
// normalized events, sends one outbound message and says what became of it, connects and
// disconnects an account, and describes itself. Everything else (inbox, dedup, chats and
// messages, agent turns and history, splitting, outbox, pacing, retries, re-auth marking and the
// generic routes under `.../chat-agents/:agentId/<name>/`) belongs to the host.

#include <chathost/sdk/agent_info.h>
#include <chathost/sdk/connection.h>
#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chathost::sdk {

/// What happened in a conversation.
enum class EventKind {
  kMessage,   // the user wrote (text and/or attachments, story reply, quick reply...)
  kEcho,      // the connected account itself sent a message (from the app or another tool)
  kPostback,  // the user tapped a button or an icebreaker; `text` is its title
  kReaction,  // the user reacted to (or un-reacted from) message `mid`
  kRead,      // the user read up to message `mid`
  kEdit,      // the user edited message `mid`; `text` is the new text
  kUnsend,    // the user unsent message `mid`
  kReferral,  // the user opened a link or ad into the conversation
  kUnknown,   // anything else: recorded, never answered
};

/// Stable lower-case name of `kind` ("message", "echo", "postback", "reaction", "read", "edit",
/// "unsend", "referral", "unknown"). Pure; any thread.
inline const char* eventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kMessage:
      return "message";
    case EventKind::kEcho:
      return "echo";
    case EventKind::kPostback:
      return "postback";
    case EventKind::kReaction:
      return "reaction";
    case EventKind::kRead:
      return "read";
    case EventKind::kEdit:
      return "edit";
    case EventKind::kUnsend:
      return "unsend";
    case EventKind::kReferral:
      return "referral";
    case EventKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

/// One normalized event of a webhook body. Value type.
struct InboundEvent {
  EventKind kind = EventKind::kUnknown;
  std::string accountId;               // the connected channel account it belongs to
  std::string userId;                  // the customer on the other side of the conversation
  std::string senderId;                // for an echo: the account itself
  std::string recipientId;             // for an echo: the customer
  bool standby = false;                // another app owns the conversation: record, never answer
  std::int64_t timestamp = 0;          // ms
  std::string mid;                     // the message's id, or the referenced message's
  std::string text;                    // text, edited text, or postback title
  std::string attachmentsJson = "[]";  // JSON array in the contract's message shape
  std::string metaJson = "{}";         // JSON object: reply_to, quick_reply, referral, postback...
  std::string reactionAction;          // kReaction: "react" | "unreact"
  std::string reaction;                // kReaction: e.g. "love"
  std::string emoji;                   // kReaction
  /// Unique within the channel and stable across redeliveries of the same event (e.g.
  /// "mid:<mid>"): the host drops an event whose key it has seen for this agent.
  std::string dedupKey;
};

/// A parsed webhook body. Value type.
struct ParsedWebhook {
  std::vector<InboundEvent> events;  // in timestamp order
  int ignored = 0;                   // items that are not conversation events (e.g. comments)
};

/// Media sent by URL: the platform fetches it. Value type.
struct OutboundAttachment {
  std::string type;  // "image" | "video" | "audio" | "file"
  std::string url;   // absolute http(s) URL
};

/// A signal shown in the conversation instead of a message.
enum class SenderAction { kNone, kTypingOn, kTypingOff, kMarkSeen };

/// One message to send: a text, or one attachment, or a sender action. Value type.
struct OutboundMessage {
  std::string recipientId;
  std::string text;  // at most ChannelDescription::maxTextBytes bytes of UTF-8
  std::optional<OutboundAttachment> attachment = {};  // sent alone: text is empty then
  /// A message tag the platform allows outside its standard window (e.g. "HUMAN_AGENT"), one of
  /// ChannelDescription::messageTags; empty for an ordinary reply. Never set for agent replies.
  std::string tag = {};
  /// kNone for a message; otherwise only the action is sent (text and attachment are empty).
  SenderAction action = SenderAction::kNone;
};

/// What became of a send. Value type.
struct SendResult {
  enum class Kind {
    kSent,       // accepted; `messageId` is the platform's id
    kRetry,      // a transient failure (5xx, timeout, no answer): try again later
    kThrottled,  // the platform's rate limit: try again after `retryAfterMs` (0: host's backoff)
    kReauth,     // the stored credentials were refused: the user must reconnect
    kPermanent,  // never deliverable as it is (user blocked, bad request...)
    kOutsideWindow,  // the platform's messaging window with this user is closed: not retried
  };
  Kind kind = Kind::kPermanent;
  std::string messageId;
  std::string recipientId;
  std::int64_t retryAfterMs = 0;
  /// One line for logs and the message's stored error, with the platform's code
  /// (e.g. "Graph error 10/2018278: ..."). Never holds a secret.
  std::string error;
  /// A JSON object merged into the API error envelope's `meta` (e.g. {"graphError":{...}}).
  std::string errorMetaJson;

  static SendResult sent(std::string messageId, std::string recipientId) {
    SendResult r;
    r.kind = Kind::kSent;
    r.messageId = std::move(messageId);
    r.recipientId = std::move(recipientId);
    return r;
  }
  static SendResult failed(Kind kind, std::string error, std::string errorMetaJson = {},
                           std::int64_t retryAfterMs = 0) {
    SendResult r;
    r.kind = kind;
    r.error = std::move(error);
    r.errorMetaJson = std::move(errorMetaJson);
    r.retryAfterMs = retryAfterMs;
    return r;
  }
};

/// A field of the dashboard's connect form (and of the connect request's JSON body). Value type.
struct ConnectField {
  std::string name;   // JSON member, e.g. "accessToken"
  std::string label;  // e.g. "Access token"
  bool required = true;
  bool secret = false;  // shown masked, never echoed back
};

/// A key of the channel's `config:` section, for docs and the dashboard. Value type.
struct ConfigKey {
  std::string name;
  std::string type;  // "string" | "bool" | "int" | "number" | "url"
  std::string defaultValue;
  std::string description;
};

/// What the host needs to know about a channel. Value type; may depend on the plugin's config.
struct ChannelDescription {
  std::string name;  // path segment and `channel` value: lower-case letters, e.g. "instagram"
  std::string displayName;               // e.g. "Instagram"
  std::size_t maxTextBytes = 1000;       // longer replies are split by the host
  double sendRatePerSecond = 0;          // per connected account; 0 = no pacing
  std::int64_t replyRetrySeconds = 600;  // how long the host keeps retrying a reply
  bool fetchesProfiles = false;          // fetchProfile() is worth calling once per chat
  std::vector<ConnectField> connectFields;
  std::vector<ConfigKey> configKeys;
  /// How long after the user's last message an ordinary message may be sent (0: always).
  std::int64_t replyWindowMs = 0;
  /// Tags a person may put on a message sent after replyWindowMs, and until when (e.g.
  /// {"HUMAN_AGENT"} for 7 days). Empty: no tags.
  std::vector<std::string> messageTags;
  std::int64_t taggedWindowMs = 0;
  bool sendsAttachments = false;    // OutboundMessage::attachment is supported
  bool sendsSenderActions = false;  // typing and seen signals are supported
  /// authorizeUrl()/completeAuthorization() work with the plugin's current config.
  bool oauthConnect = false;
};

/// A stored connection's credentials after refreshCredentials(). Value type.
struct CredentialCheck {
  enum class Outcome {
    kUnchanged,  // nothing was due: nothing changes
    kChecked,    // the platform confirmed them: credentialsCheckedAt moves (and tokenExpiresAt
                 // when it is > 0)
    kRefreshed,  // new `secrets` and `tokenExpiresAt` replace the stored ones
    kInvalid,    // the platform refused them: the user must reconnect (`reason` says why)
    kFailed,     // the check could not be made (network, 5xx): try again later
  };
  Outcome outcome = Outcome::kUnchanged;
  std::map<std::string, std::string> secrets;  // kRefreshed: the full new set
  std::int64_t tokenExpiresAt = 0;             // kRefreshed, kChecked: ms; 0 = does not expire
  std::string reason;                          // kInvalid / kFailed, for people; no secrets
};

/// The customer as the platform describes them. Value type.
struct UserProfile {
  std::string name;
  std::string username;
};

/// An account the channel verified, to be stored by the host. `connection` needs accountId,
/// the display fields, secrets and, when known, tokenExpiresAt (the host sets subaccount, agent,
/// channel, connectedAt, updatedAt and credentialsCheckedAt).
/// `dataJson` is a JSON object: the `data` of the connect answer (the host adds
/// `alreadyConnected`); `message` its `message`. Value type.
struct ConnectResult {
  Connection connection;
  std::string dataJson = "{}";
  std::string message;
};

/// A channel implementation. The plugin owns it and keeps it alive until its stop() returns;
/// the host calls it from many threads at once. Every call returns its errors as values.
class Channel {
 public:
  virtual ~Channel() = default;

  virtual ChannelDescription describe() const = 0;

  /// The platform's subscription check (GET on a webhook URL, e.g. Meta's hub.challenge).
  /// `connection` is the agent's for per-agent URLs and null for the channel-wide URL.
  /// kForbidden when it does not match.
  virtual Result<Response> answerChallenge(const Request& request,
                                           const Connection* connection) = 0;

  /// Checks a webhook POST's signature over its raw body: with the connection's secret for
  /// per-agent URLs, with the channel-wide secret when `connection` is null or has none.
  /// kForbidden when it does not verify. Must cost microseconds: it runs on the request path.
  virtual Status verifyWebhook(const Request& request, const Connection* connection) = 0;

  /// Turns a verified body into events. kValidation when it is not a body of this channel;
  /// odd items inside are kept as kUnknown or counted in `ignored`, never fatal.
  virtual Result<ParsedWebhook> parseWebhook(std::string_view body) = 0;

  /// Sends one message through `connection` (secrets included). Blocks on the network.
  virtual SendResult send(const Connection& connection, const OutboundMessage& message) = 0;

  /// Verifies the account described by the connect request's JSON body (`bodyJson`) with the
  /// platform. kValidation for bad input, the platform's refusal as kAuthFailed/kApiError.
  virtual Result<ConnectResult> connect(const AgentInfo& agent, std::string_view bodyJson) = 0;

  /// Called before the host marks `connection` disconnected (e.g. to unsubscribe webhooks). An
  /// error is logged; the connection is disconnected anyway.
  virtual Status disconnect(const Connection& /*connection*/) { return Status::ok(); }

  /// The customer's profile, if the platform gives one; nullopt when it refuses for a reason
  /// that will not change.
  virtual Result<std::optional<UserProfile>> fetchProfile(const Connection& /*connection*/,
                                                          const std::string& /*userId*/) {
    return std::optional<UserProfile>{};
  }

  /// The platform's consent page for connecting an account (OAuth), which will send the browser
  /// back to `redirectUri` with `state` and a code. kNotFound when the channel has no such flow
  /// or it is not configured (see ChannelDescription::oauthConnect).
  virtual Result<std::string> authorizeUrl(const std::string& /*redirectUri*/,
                                           const std::string& /*state*/) {
    return Status(ErrorCode::kNotFound, "this channel has no sign-in flow");
  }

  /// Exchanges an OAuth `code` for the account's credentials and verifies the account, as
  /// connect() does (subscriptions included). `redirectUri` is the one given to authorizeUrl().
  virtual Result<ConnectResult> completeAuthorization(const AgentInfo& /*agent*/,
                                                      const std::string& /*code*/,
                                                      const std::string& /*redirectUri*/) {
    return Status(ErrorCode::kNotFound, "this channel has no sign-in flow");
  }

  /// Called periodically for each active connection with the time now (ms). Refreshes tokens
  /// that are due and checks the others when a check is due; answers kUnchanged without a
  /// network call when nothing is due (the connection's credentialsCheckedAt and
  /// tokenExpiresAt tell when).
  virtual CredentialCheck refreshCredentials(const Connection& /*connection*/,
                                             std::int64_t /*nowMs*/) {
    return {};
  }
};

namespace detail {
// Wraps a plugin's channel so none of its exceptions unwinds into the host. Compiled into the
// plugin (Channels::add is inline).
class GuardedChannel final : public Channel {
 public:
  explicit GuardedChannel(Channel& inner) : inner_(inner) {}

  ChannelDescription describe() const override {
    try {
      return inner_.describe();
    } catch (...) {
      return {};  // an empty name: the host refuses the channel
    }
  }
  Result<Response> answerChallenge(const Request& r, const Connection* c) override {
    return guard([&] { return inner_.answerChallenge(r, c); });
  }
  Status verifyWebhook(const Request& r, const Connection* c) override {
    try {
      return inner_.verifyWebhook(r, c);
    } catch (const std::exception& e) {
      return Status::internal(std::string("channel threw while verifying a webhook: ") + e.what());
    } catch (...) {
      return Status::internal("channel threw while verifying a webhook");
    }
  }
  Result<ParsedWebhook> parseWebhook(std::string_view body) override {
    return guard([&] { return inner_.parseWebhook(body); });
  }
  SendResult send(const Connection& c, const OutboundMessage& m) override {
    try {
      return inner_.send(c, m);
    } catch (const std::exception& e) {
      return SendResult::failed(SendResult::Kind::kRetry,
                                std::string("channel threw while sending: ") + e.what());
    } catch (...) {
      return SendResult::failed(SendResult::Kind::kRetry, "channel threw while sending");
    }
  }
  Result<ConnectResult> connect(const AgentInfo& a, std::string_view body) override {
    return guard([&] { return inner_.connect(a, body); });
  }
  Status disconnect(const Connection& c) override {
    try {
      return inner_.disconnect(c);
    } catch (...) {
      return Status::internal("channel threw while disconnecting");
    }
  }
  Result<std::optional<UserProfile>> fetchProfile(const Connection& c,
                                                  const std::string& user) override {
    return guard([&] { return inner_.fetchProfile(c, user); });
  }
  Result<std::string> authorizeUrl(const std::string& redirectUri,
                                   const std::string& state) override {
    return guard([&] { return inner_.authorizeUrl(redirectUri, state); });
  }
  Result<ConnectResult> completeAuthorization(const AgentInfo& a, const std::string& code,
                                              const std::string& redirectUri) override {
    return guard([&] { return inner_.completeAuthorization(a, code, redirectUri); });
  }
  CredentialCheck refreshCredentials(const Connection& c, std::int64_t nowMs) override {
    try {
      return inner_.refreshCredentials(c, nowMs);
    } catch (...) {
      CredentialCheck failed;
      failed.outcome = CredentialCheck::Outcome::kFailed;
      failed.reason = "channel threw while checking credentials";
      return failed;
    }
  }

 private:
  template <typename F>
  static auto guard(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const std::exception& e) {
      return Status::internal(std::string("channel threw: ") + e.what());
    } catch (...) {
      return Status::internal("channel threw");
    }
  }
  Channel& inner_;
};
}  // namespace detail

/// Where a plugin registers its channels. Owned by the host; call it from start() only. The host
/// stops calling a channel before the plugin's stop() is called.
class Channels {
 public:
  virtual ~Channels() = default;
  /// Registers `channel` (which must outlive the plugin's stop()). kConflict when a channel of
  /// that name exists; kValidation when its description is unusable.
  Status add(Channel& channel) { return doAdd(std::make_shared<detail::GuardedChannel>(channel)); }

 protected:
  virtual Status doAdd(std::shared_ptr<Channel> guarded) = 0;
};

}  // namespace chathost::sdk
