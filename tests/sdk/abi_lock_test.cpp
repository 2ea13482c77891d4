#include "abi_hash.h"

#include <chathost/sdk/version.h>

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chathost::sdktest {
namespace {

namespace fs = std::filesystem;

const std::string kSdkDir = CHATHOST_SDK_SOURCE_DIR;

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The real check: the headers as they are now against the recorded lock.
TEST(AbiLock, HeadersMatchTheRecordedAbiVersion) {
  auto lock = parseAbiLock(readFile(fs::path(kSdkDir) / "abi.lock"));
  ASSERT_TRUE(lock.has_value()) << "sdk/abi.lock is missing or malformed: run "
                                   "sdk/update-abi-lock.sh";
  std::string hash = hashSdkHeaders(kSdkDir + "/include");
  ASSERT_FALSE(hash.empty());
  std::string verdict = abiLockVerdict(*lock, sdk::kAbiMajor, sdk::kAbiMinor, hash);
  EXPECT_TRUE(verdict.empty()) << verdict;
}

class TempTree : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "chathost-abi-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary) << text;
  }
  fs::path root_;
};

TEST_F(TempTree, HashMatchesTheDocumentedRecipe) {
  write("b/z.h", "zz");
  write("a.h", "aa");
  write("notes.txt", "ignored");
  // sha256 of "=== a.h\naa=== b/z.h\nzz", computed with sha256sum.
  EXPECT_EQ(hashSdkHeaders(root_.string()),
            "5f8d70b55e0a8b33f7e7a90fbdbb35297ffcd85dae04ac4ee8f9e8066ff0c92f");
}

TEST_F(TempTree, HashChangesWithContentAndWithPath) {
  write("chathost/sdk/a.h", "int a;");
  std::string before = hashSdkHeaders(root_.string());
  write("chathost/sdk/a.h", "int a; ");
  std::string edited = hashSdkHeaders(root_.string());
  fs::rename(root_ / "chathost/sdk/a.h", root_ / "chathost/sdk/b.h");
  std::string renamed = hashSdkHeaders(root_.string());
  EXPECT_NE(before, edited);
  EXPECT_NE(edited, renamed);
}

TEST_F(TempTree, UnreadableOrEmptyDirectoryGivesNoHash) {
  EXPECT_EQ(hashSdkHeaders((root_ / "absent").string()), "");
  EXPECT_EQ(hashSdkHeaders(root_.string()), "");
}

TEST_F(TempTree, UpdateScriptWritesWhatTheTestComputes) {
  fs::copy_file(fs::path(kSdkDir) / "update-abi-lock.sh", root_ / "update-abi-lock.sh");
  write("include/chathost/sdk/version.h",
        "inline constexpr unsigned kAbiMajor = 4;\ninline constexpr unsigned kAbiMinor = 2;\n");
  write("include/chathost/sdk/other.h", "struct X;\n");
  std::string command = "bash " + (root_ / "update-abi-lock.sh").string() + " >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  auto lock = parseAbiLock(readFile(root_ / "abi.lock"));
  ASSERT_TRUE(lock.has_value());
  EXPECT_EQ(lock->major, 4u);
  EXPECT_EQ(lock->minor, 2u);
  EXPECT_EQ(lock->hash, hashSdkHeaders((root_ / "include").string()));
}

TEST(AbiLockParse, AcceptsTheWrittenFormatOnly) {
  std::string hash(64, 'a');
  auto lock = parseAbiLock("3.14 " + hash + "\n");
  ASSERT_TRUE(lock.has_value());
  EXPECT_EQ(lock->major, 3u);
  EXPECT_EQ(lock->minor, 14u);
  EXPECT_EQ(lock->hash, hash);
  EXPECT_FALSE(parseAbiLock(""));
  EXPECT_FALSE(parseAbiLock("3 " + hash));
  EXPECT_FALSE(parseAbiLock("3.x " + hash));
  EXPECT_FALSE(parseAbiLock("3.1 abc"));
}

TEST(AbiLockVerdict, ChangedHeadersWithSameVersionFail) {
  AbiLock recorded{1, 0, std::string(64, 'a')};
  EXPECT_EQ(abiLockVerdict(recorded, 1, 0, std::string(64, 'a')), "");
  EXPECT_EQ(abiLockVerdict(recorded, 1, 0, std::string(64, 'b')),
            "SDK headers changed without an ABI version bump: bump kAbiMajor/kAbiMinor in "
            "version.h and run sdk/update-abi-lock.sh");
  EXPECT_EQ(abiLockVerdict(recorded, 1, 1, std::string(64, 'b')),
            "sdk/abi.lock records ABI 1.0 but version.h says 1.1: run sdk/update-abi-lock.sh");
}

}  // namespace
}  // namespace chathost::sdktest
