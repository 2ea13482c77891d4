#include "plugins/manifest_check.h"

#include <chathost/sdk/plugin.h>

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

constexpr const char* kHostPrint = "gcc-12;libstdc++-cxx11abi1;cxx202002L";

ManifestFacts goodFacts() {
  ManifestFacts f;
  f.structSize = sizeof(sdk::PluginManifest);
  f.abiMajor = 1;
  f.abiMinor = 2;
  f.fingerprint = kHostPrint;
  f.name = "x";
  f.hasName = f.hasCreate = f.hasDestroy = true;
  return f;
}

std::string reason(const ManifestFacts& f) {
  sdk::Status s = checkManifest(f, 1, 3, kHostPrint);
  EXPECT_EQ(s.code(), s.isOk() ? sdk::ErrorCode::kOk : sdk::ErrorCode::kValidation);
  return s.message();
}

TEST(ManifestCheck, AcceptsSameMajorOlderOrEqualMinorAndSameFingerprint) {
  EXPECT_TRUE(checkManifest(goodFacts(), 1, 2, kHostPrint).isOk());
  EXPECT_TRUE(checkManifest(goodFacts(), 1, 3, kHostPrint).isOk());
}

TEST(ManifestCheck, RefusesOtherMajor) {
  auto f = goodFacts();
  f.abiMajor = 2;
  f.abiMinor = 0;
  EXPECT_EQ(reason(f),
            "plugin 'x' was built for SDK ABI 2.0, this host speaks 1.3: rebuild it against "
            "this host's SDK");
  f.abiMajor = 0;
  EXPECT_EQ(reason(f),
            "plugin 'x' was built for SDK ABI 0.0, this host speaks 1.3: rebuild it against "
            "this host's SDK");
}

TEST(ManifestCheck, RefusesTooSmallStruct) {
  auto f = goodFacts();
  f.structSize = 12;
  EXPECT_EQ(reason(f), "plugin 'x' has a manifest of 12 bytes, this host needs at least " +
                           std::to_string(sizeof(sdk::PluginManifest)) +
                           ": rebuild it against this host's SDK");
}

TEST(ManifestCheck, AcceptsLargerStructFromSameMajor) {
  auto f = goodFacts();
  f.structSize = sizeof(sdk::PluginManifest) + 16;
  EXPECT_TRUE(checkManifest(f, 1, 3, kHostPrint).isOk());
}

TEST(ManifestCheck, RefusesNewerMinor) {
  auto f = goodFacts();
  f.abiMinor = 4;
  EXPECT_EQ(reason(f),
            "plugin 'x' needs SDK ABI 1.4, newer than this host's 1.3: upgrade the host or "
            "rebuild the plugin against its SDK");
}

TEST(ManifestCheck, RefusesOtherFingerprintShowingBoth) {
  auto f = goodFacts();
  f.fingerprint = "clang-17;libstdc++-cxx11abi1;cxx202002L";
  EXPECT_EQ(reason(f),
            "plugin 'x' was built with 'clang-17;libstdc++-cxx11abi1;cxx202002L', this host "
            "with 'gcc-12;libstdc++-cxx11abi1;cxx202002L': rebuild it with the host's compiler "
            "and standard library");
}

TEST(ManifestCheck, NamesEveryMissingField) {
  auto f = goodFacts();
  f.hasCreate = false;
  EXPECT_EQ(reason(f),
            "plugin 'x' has an incomplete manifest (missing create): build it with "
            "CHATHOST_PLUGIN()");
  f.hasName = false;
  f.hasDestroy = false;
  EXPECT_EQ(reason(f),
            "plugin 'x' has an incomplete manifest (missing name, create, destroy): build it "
            "with CHATHOST_PLUGIN()");
}

TEST(ManifestCheck, MajorMismatchWinsOverEverythingElse) {
  ManifestFacts f;  // nothing readable beyond the ABI numbers
  f.abiMajor = 7;
  f.name = "cfg";
  EXPECT_EQ(reason(f),
            "plugin 'cfg' was built for SDK ABI 7.0, this host speaks 1.3: rebuild it against "
            "this host's SDK");
}

}  // namespace
}  // namespace chathost::host
