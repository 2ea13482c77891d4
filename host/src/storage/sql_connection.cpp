#include "storage/sql_connection.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <charconv>
#include <mutex>

#include "storage/sql_dialect.h"

namespace chathost::host {

std::int64_t SqlRow::integer(std::size_t column) const {
  const std::string& s = cells.at(column);
  if (s.empty()) return 0;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    throw SqlError("column " + std::to_string(column) + " is not an integer", false);
  }
  return v;
}

namespace {

void registerConnectors() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
}

bool isConnectionFailure(const Poco::Exception& e) {
  return dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e) != nullptr ||
         dynamic_cast<const Poco::Data::PostgreSQL::ConnectionException*>(&e) != nullptr;
}

class PocoSqlConnection : public SqlConnection {
 public:
  PocoSqlConnection(Poco::Data::Session session, bool numbered)
      : session_(std::move(session)), numbered_(numbered) {}

  SqlRows query(const std::string& sql, const SqlParams& params) override {
    return guarded([&] {
      Bound bound(params);
      Poco::Data::Statement st(session_);
      prepare(st, sql, bound);
      st.execute();
      Poco::Data::RecordSet rs(st);
      SqlRows rows;
      const std::size_t columns = rs.columnCount();
      rows.reserve(rs.rowCount());
      for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        SqlRow row;
        row.cells.reserve(columns);
        for (std::size_t c = 0; c < columns; ++c) {
          const Poco::Dynamic::Var& v = rs.value(c, r);
          row.cells.push_back(v.isEmpty() ? std::string() : v.convert<std::string>());
        }
        rows.push_back(std::move(row));
      }
      return rows;
    });
  }

  std::int64_t execute(const std::string& sql, const SqlParams& params) override {
    return guarded([&] {
      Bound bound(params);
      Poco::Data::Statement st(session_);
      prepare(st, sql, bound);
      return static_cast<std::int64_t>(st.execute());
    });
  }

  void begin() override {
    guarded([&] {
      session_.begin();
      return 0;
    });
  }
  void commit() override {
    guarded([&] {
      session_.commit();
      return 0;
    });
  }
  void rollback() override {
    guarded([&] {
      if (session_.isTransaction()) session_.rollback();
      return 0;
    });
  }

  bool healthy() override {
    if (broken_) return false;
    if (!failed_) return true;
    // A statement failed: find out whether the connection itself still works.
    try {
      if (!session_.isConnected()) return false;
      Poco::Data::Statement st(session_);
      st << "SELECT 1";
      st.execute();
      failed_ = false;
      return true;
    } catch (...) {
      broken_ = true;
      return false;
    }
  }

 private:
  // Parameter storage that outlives the statement's bindings (Poco binds by reference).
  struct Bound {
    explicit Bound(const SqlParams& params) {
      texts.reserve(params.size());
      integers.reserve(params.size());
      for (const auto& p : params) {
        if (const auto* s = std::get_if<std::string>(&p)) {
          texts.push_back(*s);
          order.push_back({true, texts.size() - 1});
        } else {
          integers.push_back(std::get<std::int64_t>(p));
          order.push_back({false, integers.size() - 1});
        }
      }
    }
    std::vector<std::string> texts;
    std::vector<Poco::Int64> integers;
    std::vector<std::pair<bool, std::size_t>> order;
  };

  void prepare(Poco::Data::Statement& st, const std::string& sql, Bound& bound) {
    st << (numbered_ ? toNumberedPlaceholders(sql) : sql);
    for (const auto& [isText, index] : bound.order) {
      if (isText) {
        st.addBind(Poco::Data::Keywords::useRef(bound.texts[index]));
      } else {
        st.addBind(Poco::Data::Keywords::useRef(bound.integers[index]));
      }
    }
  }

  template <typename F>
  auto guarded(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const SqlError&) {
      throw;
    } catch (const Poco::Exception& e) {
      failed_ = true;
      bool lost = isConnectionFailure(e);
      try {
        lost = lost || !session_.isConnected();
      } catch (...) {
        lost = true;
      }
      if (lost) broken_ = true;
      throw SqlError(e.displayText(), lost);
    } catch (const std::exception& e) {
      failed_ = true;
      throw SqlError(e.what(), false);
    }
  }

  Poco::Data::Session session_;
  bool numbered_;
  bool broken_ = false;
  bool failed_ = false;
};

Poco::Data::Session openSession(const std::string& connector, const std::string& target) {
  registerConnectors();
  try {
    return Poco::Data::Session(connector, target);
  } catch (const Poco::Exception& e) {
    throw SqlError("cannot connect to the " + connector +
                       " database: " + redactPassword(e.displayText(), target),
                   true);
  }
}

}  // namespace

std::unique_ptr<SqlConnection> openPostgresConnection(const std::string& dsn,
                                                      const std::string& schema) {
  std::unique_ptr<SqlConnection> conn =
      std::make_unique<PocoSqlConnection>(openSession("PostgreSQL", dsn), true);
  conn->execute("SET client_min_messages TO WARNING");  // no NOTICE noise on stderr
  if (!schema.empty()) conn->execute("SET search_path TO \"" + schema + "\"");
  return conn;
}

}  // namespace chathost::host
