#include "config/config_key_notes.h"

namespace chathost::host {

// A pattern here transcribes a rule host_config_builder checks in code. It may be looser than
// the code (the CIDR one is), never stricter: the schema must not refuse a file --check-config
// accepts. config_schema_agreement is what keeps the two in line: it runs both over every
// case and fails on a file one accepts and the other refuses, outside its listed exceptions.
const KeyNotes& hostConfigKeyNotes() {
  static const KeyNotes notes{
      {"data_dir",
       {"where the host keeps generated files (the JWT secret, instance.lock, instance.id); "
        "relative to the working directory"}},

      {"server", {"the HTTP server"}},
      {"server.listen",
       {"HOST:PORT or [IPV6]:PORT to listen on; port 0 picks a free port",
        R"(^(\[[^\] \t]+\]|[^\[: \t][^: \t]*):0*([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$)"}},
      {"server.max_body_bytes", {"larger request bodies are refused with 413"}},
      {"server.threads", {"request handler threads: complete requests handled at once"}},
      {"server.max_queued", {"complete requests waiting for a handler; more are answered 503"}},
      {"server.io_threads", {"network threads that accept, read and write every connection"}},
      {"server.request_timeout_ms",
       {"a request not complete this long after its first byte is dropped"}},
      {"server.keep_alive_timeout_ms", {"idle keep-alive connections are closed after this"}},
      {"server.max_connections", {"open client connections; one more is answered 503"}},
      {"server.shutdown_timeout_seconds", {"how long SIGINT/SIGTERM waits for in-flight requests"}},
      {"server.public_url",
       {"the origin browsers and Meta reach this host at, e.g. https://chat.example.com (no "
        "path); empty: the request's Host header, over http",
        R"(^(https?://[A-Za-z0-9.:\[\]-]+/*)?$)"}},

      {"auth", {"the API's bearer tokens"}},
      {"auth.jwt_secret",
       {"HS256 key of the API's bearer tokens; empty: a random one is created in data_dir"}},

      {"storage", {"where agents, chats, connections and the webhook inbox live"}},
      {"storage.backend", {"sqlite (one host) or postgresql (several hosts can share it)"}},
      {"storage.sqlite", {"the SQLite backend"}},
      {"storage.sqlite.path", {"the SQLite database file; one host process per file"}},
      {"storage.sqlite.synchronous",
       {"normal: a commit survives a crash of the process; full: also power loss, at one fsync "
        "per group commit"}},
      {"storage.postgresql", {"the PostgreSQL backend"}},
      {"storage.postgresql.dsn", {"libpq connection string (key=value or postgresql:// URI)"}},
      {"storage.postgresql.pool_size", {"connections in the pool"}},
      {"storage.postgresql.schema",
       {"schema holding chathost's tables, created when missing: up to 63 letters, digits and "
        "_; empty: the DSN's default",
        R"(^[A-Za-z0-9_]{0,63}$)"}},

      {"dedup", {"drops webhook events delivered more than once"}},
      {"dedup.backend", {"memory (one host) or redis (shared by several hosts)"}},
      {"dedup.redis", {"the Redis backend"}},
      {"dedup.redis.host", {"Redis host"}},
      {"dedup.redis.port", {"Redis port"}},
      {"dedup.redis.password", {"AUTH password; empty: none"}},
      {"dedup.redis.db", {"database number (SELECT)"}},
      {"dedup.memory", {"the in-memory backend"}},
      {"dedup.memory.capacity", {"most event ids kept in memory (the oldest are evicted)"}},
      {"dedup.ttl_seconds", {"how long an event id is remembered"}},

      {"secrets", {"encryption of tokens and webhook secrets at rest"}},
      {"secrets.key_file",
       {"AES-256 key file, created (mode 0600) if missing; hosts sharing a database must share "
        "it"}},

      {"logging", {"log lines on stderr"}},
      {"logging.level", {"the lowest level written"}},
      {"logging.format", {"text, or json: one JSON object a line"}},
      {"logging.access_log", {"one info line per answered request"}},

      {"workers", {"background processing of webhook events"}},
      {"workers.threads",
       {"worker threads; they mostly wait on storage, the Graph API and agents"}},
      {"workers.queue_capacity", {"most events queued in memory for the workers"}},
      {"workers.lease_ms", {"how long a claimed event stays reserved without news from its host"}},
      {"workers.retention_hours",
       {"finished inbox and outbox rows are deleted this long after they finished; 0 keeps "
        "them"}},
      {"workers.credential_check_seconds",
       {"how often each active connection is offered to its channel for a token refresh or "
        "check"}},

      {"agents", {"limits on what tenants' agents may do on this host"}},
      {"agents.env_allowlist",
       {"environment variables agent configs may reference as ${NAME}; [] allows none"}},
      {"agents.env_allowlist[]",
       {"a variable name, or a name prefix ending in * (* alone allows every variable)",
        R"(^([A-Za-z_][A-Za-z0-9_]*\*?|\*)$)"}},
      {"agents.allow_networks",
       {"networks agent endpoints may reach although they are loopback, private or link-local"}},
      {"agents.allow_networks[]",
       {"an IPv4 or IPv6 network as ADDRESS/PREFIX, e.g. 127.0.0.1/32 (the address and prefix "
        "length are checked when the file is loaded)",
        R"(^[0-9A-Fa-f:.]+/[0-9]{1,3}$)"}},
      {"agents.max_timeout_ms", {"the largest timeout_ms an agent may set"}},
      {"agents.max_concurrent_per_agent", {"turns of one openai or http agent that run at once"}},

      {"plugins", {"channel plugins to load"}},
      {"plugins[]", {"one channel plugin"}},
      {"plugins[].name", {"the plugin's name; each name at most once", R"(^[A-Za-z0-9_-]{1,64}$)"}},
      {"plugins[].enabled", {"false keeps the entry without loading the plugin"}},
      {"plugins[].library", {"the plugin's shared library; empty: the host's plugin directory"}},
      {"plugins[].config",
       {"the plugin's own settings (see its documentation): the plugin checks them when "
        "chathost loads it, as chathost --check-config does"}},
  };
  return notes;
}

}  // namespace chathost::host
