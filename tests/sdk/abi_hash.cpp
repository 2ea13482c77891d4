#include "abi_hash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <vector>

namespace chathost::sdktest {

namespace fs = std::filesystem;

std::string hashSdkHeaders(const std::string& includeDir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(includeDir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".h")
      files.push_back(fs::relative(it->path(), includeDir).generic_string());
  }
  if (ec || files.empty()) return {};
  std::sort(files.begin(), files.end());  // byte order, as LC_ALL=C sort

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (const auto& file : files) {
    std::string header = "=== " + file + "\n";
    std::ifstream in(fs::path(includeDir) / file, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EVP_DigestUpdate(ctx.get(), header.data(), header.size());
    EVP_DigestUpdate(ctx.get(), body.data(), body.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::optional<AbiLock> parseAbiLock(const std::string& text) {
  std::istringstream in(text);
  std::string version;
  AbiLock lock;
  if (!(in >> version >> lock.hash)) return std::nullopt;
  auto dot = version.find('.');
  if (dot == std::string::npos) return std::nullopt;
  try {
    std::size_t used = 0;
    lock.major = static_cast<unsigned>(std::stoul(version.substr(0, dot), &used));
    if (used != dot) return std::nullopt;
    lock.minor = static_cast<unsigned>(std::stoul(version.substr(dot + 1), &used));
    if (used != version.size() - dot - 1) return std::nullopt;
  } catch (...) {
    return std::nullopt;
  }
  if (lock.hash.size() != 64) return std::nullopt;
  return lock;
}

std::string abiLockVerdict(const AbiLock& recorded, unsigned major, unsigned minor,
                           const std::string& currentHash) {
  if (recorded.hash == currentHash && recorded.major == major && recorded.minor == minor) return {};
  if (recorded.major == major && recorded.minor == minor)
    return "SDK headers changed without an ABI version bump: bump kAbiMajor/kAbiMinor in "
           "version.h and run sdk/update-abi-lock.sh";
  return "sdk/abi.lock records ABI " + std::to_string(recorded.major) + "." +
         std::to_string(recorded.minor) + " but version.h says " + std::to_string(major) + "." +
         std::to_string(minor) + ": run sdk/update-abi-lock.sh";
}

}  // namespace chathost::sdktest
