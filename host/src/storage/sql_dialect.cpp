#include "storage/sql_dialect.h"

namespace chathost::host {

const SqlDialect& sqliteDialect() {
  static const SqlDialect d{
      SqlBackend::kSqlite, "sqlite", "INTEGER PRIMARY KEY AUTOINCREMENT", "", "", false};
  return d;
}

const SqlDialect& postgresDialect() {
  // Any constant works as the advisory lock key as long as every host uses the same one.
  static const SqlDialect d{SqlBackend::kPostgres,
                            "postgresql",
                            "BIGSERIAL PRIMARY KEY",
                            " FOR UPDATE SKIP LOCKED",
                            "SELECT pg_advisory_xact_lock(7426173)",
                            true};
  return d;
}

std::string toNumberedPlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: still correct
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string expandDdl(const std::string& ddl, const SqlDialect& dialect) {
  static const std::string kToken = "{ID}";
  std::string out = ddl;
  for (auto pos = out.find(kToken); pos != std::string::npos; pos = out.find(kToken, pos)) {
    out.replace(pos, kToken.size(), dialect.autoIdType);
    pos += dialect.autoIdType.size();
  }
  return out;
}

namespace {

void replaceAll(std::string& s, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size())) {
    s.replace(pos, what.size(), with);
  }
}

std::string dsnPassword(const std::string& dsn) {
  if (auto scheme = dsn.find("://"); scheme != std::string::npos) {
    const auto at = dsn.find('@', scheme);
    const auto colon = dsn.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      return dsn.substr(colon + 1, at - colon - 1);
    }
    return {};
  }
  const auto key = dsn.find("password");
  if (key == std::string::npos) return {};
  auto pos = dsn.find('=', key);
  if (pos == std::string::npos) return {};
  ++pos;
  while (pos < dsn.size() && dsn[pos] == ' ') ++pos;
  if (pos < dsn.size() && dsn[pos] == '\'') {
    const auto end = dsn.find('\'', pos + 1);
    return dsn.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
  }
  const auto end = dsn.find(' ', pos);
  return dsn.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

}  // namespace

std::string redactPassword(const std::string& message, const std::string& dsn) {
  std::string out = message;
  replaceAll(out, dsn, "***");
  replaceAll(out, dsnPassword(dsn), "***");
  return out;
}

}  // namespace chathost::host
