# Every third-party package the project uses, found once for the whole tree.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)  # Debian's Poco 1.11 config names a target it never defines
  add_library(PostgreSQL::client ALIAS PostgreSQL::PostgreSQL)
endif()
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Net NetSSL Crypto JSON JWT Util
  Data DataSQLite DataPostgreSQL Redis)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(yaml-cpp REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_package(PNG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)                # SQLite::SQLite3 (the SQLite store uses its C API)
find_package(Threads REQUIRED)
if(CHATHOST_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
