// PostgreSQL through libpq with a cache of prepared statements, for the same reason as the SQLite
// store uses SQLite's C API: the stores run the same few dozen statements over and over, and
// Poco::Data parsed, planned and bound each one anew per call (5 ms of CPU per webhook event).

#include <libpq-fe.h>

#include <string>
#include <unordered_map>

#include "storage/sql_connection.h"
#include "storage/sql_dialect.h"

namespace chathost::host {
namespace {

constexpr std::size_t kMaxCachedStatements = 256;

// U+FFFD for each NUL: a message is stored with a visible mark instead of cut short or refused.
std::string withoutNul(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char ch : text) {
    if (ch == '\0') {
      out += "\xEF\xBF\xBD";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(const std::string& dsn) : conn_(PQconnectdb(dsn.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string why = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw SqlError("cannot connect to the PostgreSQL database: " + redactPassword(why, dsn),
                     true);
    }
    // NOTICE lines ("relation already exists, skipping"...) are not errors: keep stderr clean.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }

  ~PostgresConnection() override { PQfinish(conn_); }

  SqlRows query(const std::string& sql, const SqlParams& params) override {
    SqlRows rows;
    run(sql, params, &rows);
    return rows;
  }

  std::int64_t execute(const std::string& sql, const SqlParams& params) override {
    return run(sql, params, nullptr);
  }

  void begin() override { execute("BEGIN", {}); }
  void commit() override { execute("COMMIT", {}); }
  void rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) execute("ROLLBACK", {});
  }
  bool inTransaction() override { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  bool healthy() override { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

 private:
  struct Result {
    PGresult* res;
    ~Result() { PQclear(res); }
  };

  // The name of the prepared statement for `sql`, preparing it on first use.
  const std::string& prepared(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) {
      Result dropped{PQexec(conn_, "DEALLOCATE ALL")};
      cache_.clear();
    }
    std::string name = "s" + std::to_string(nextStatement_++);
    Result res{PQprepare(conn_, name.c_str(), toNumberedPlaceholders(sql).c_str(), 0, nullptr)};
    check(res.res);
    return cache_.emplace(sql, std::move(name)).first->second;
  }

  std::int64_t run(const std::string& sql, const SqlParams& params, SqlRows* rows) {
    PGresult* raw;
    if (params.empty()) {
      // Parameterless statements (DDL, BEGIN/COMMIT, SET) take the simple protocol, which also
      // accepts several statements in one string.
      raw = PQexec(conn_, sql.c_str());
    } else {
      const std::string& name = prepared(sql);
      std::vector<std::string> integers;  // text forms of the integer parameters
      integers.reserve(params.size());
      std::vector<const char*> values;
      values.reserve(params.size());
      std::vector<std::string> cleaned;  // texts with NUL bytes, which PostgreSQL text cannot hold
      cleaned.reserve(params.size());
      for (const auto& p : params) {
        if (const auto* text = std::get_if<std::string>(&p)) {
          if (text->find('\0') == std::string::npos) {
            values.push_back(text->c_str());
          } else {
            cleaned.push_back(withoutNul(*text));
            values.push_back(cleaned.back().c_str());
          }
        } else {
          integers.push_back(std::to_string(std::get<std::int64_t>(p)));
          values.push_back(integers.back().c_str());
        }
      }
      raw = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                           nullptr, nullptr, 0);
    }
    Result res{raw};
    check(res.res);
    if (rows && PQresultStatus(res.res) == PGRES_TUPLES_OK) {
      const int n = PQntuples(res.res);
      const int columns = PQnfields(res.res);
      rows->reserve(static_cast<std::size_t>(n));
      for (int r = 0; r < n; ++r) {
        SqlRow row;
        row.cells.reserve(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) {
          row.cells.emplace_back(PQgetvalue(res.res, r, c),
                                 static_cast<std::size_t>(PQgetlength(res.res, r, c)));
        }
        rows->push_back(std::move(row));
      }
    }
    const char* changed = PQcmdTuples(res.res);
    return changed && *changed ? std::stoll(changed) : 0;
  }

  void check(PGresult* res) {
    const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const bool lost = PQstatus(conn_) != CONNECTION_OK;
    if (lost) broken_ = true;
    std::string why = res ? trimmed(PQresultErrorMessage(res)) : std::string();
    if (why.empty()) why = trimmed(PQerrorMessage(conn_));
    throw SqlError(why, lost);
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> cache_;  // SQL -> prepared statement name
  std::uint64_t nextStatement_ = 1;
  bool broken_ = false;
};

}  // namespace

std::unique_ptr<SqlConnection> openPostgresConnection(const std::string& dsn,
                                                      const std::string& schema) {
  std::unique_ptr<SqlConnection> conn = std::make_unique<PostgresConnection>(dsn);
  if (!schema.empty()) conn->execute("SET search_path TO \"" + schema + "\"");
  return conn;
}

}  // namespace chathost::host
