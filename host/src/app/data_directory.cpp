#include "app/data_directory.h"

#include <filesystem>
#include <system_error>

namespace chathost::host {

sdk::Status ensureDataDirectory(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) return sdk::Status::ok();
  fs::create_directories(path, ec);
  if (ec)
    return sdk::Status::internal("cannot create data directory '" + path + "': " + ec.message());
  fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
  return sdk::Status::ok();
}

}  // namespace chathost::host
