#include "app/instance_identity.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;
using chathost::host::InstanceLock;
using chathost::host::instancePrefix;
using chathost::host::uniqueOwnerId;

namespace {
struct InstanceIdentityTest : ::testing::Test {
  fs::path dir =
      fs::temp_directory_path() / ("chathost-instance-" + std::to_string(getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  std::string lockPath() const { return (dir / "instance.lock").string(); }
};
}  // namespace

TEST_F(InstanceIdentityTest, PrefixNamesTheMachineAndTheDataDirectory) {
  const std::string a = instancePrefix(dir.string());
  EXPECT_EQ(a, instancePrefix(dir.string() + "/."));  // the same directory, spelled otherwise
  EXPECT_NE(a, instancePrefix((dir / "other").string()));
  EXPECT_EQ(a.back(), ':');
}

// Two containers with the same hostname, each with a volume of its own at the same path, must not
// take each other for an earlier run of themselves: each volume keeps its own random id.
TEST_F(InstanceIdentityTest, AnotherVolumeAtTheSamePathIsAnotherInstance) {
  const std::string first = instancePrefix(dir.string());
  EXPECT_EQ(first, instancePrefix(dir.string())) << "kept in the directory, stable across runs";
  ASSERT_TRUE(fs::exists(dir / "instance.id"));
  fs::remove_all(dir);  // the other container's volume, mounted at the same path
  fs::create_directories(dir);
  EXPECT_NE(first, instancePrefix(dir.string()));
}

TEST_F(InstanceIdentityTest, OwnerIdsAreUniquePerStartAndKeepThePrefix) {
  const std::string prefix = instancePrefix(dir.string());
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = uniqueOwnerId(prefix);
    EXPECT_EQ(id.rfind(prefix, 0), 0u) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST_F(InstanceIdentityTest, ASecondHolderIsRefusedWhileTheFirstLives) {
  InstanceLock first = InstanceLock::tryAcquire(lockPath());
  ASSERT_TRUE(first.held()) << first.reason();
  InstanceLock second = InstanceLock::tryAcquire(lockPath());
  EXPECT_FALSE(second.held());
  EXPECT_NE(second.reason().find("another process holds"), std::string::npos) << second.reason();
}

TEST_F(InstanceIdentityTest, TheLockIsFreeAgainOnceItsHolderIsGone) {
  {
    InstanceLock first = InstanceLock::tryAcquire(lockPath());
    ASSERT_TRUE(first.held());
  }
  EXPECT_TRUE(InstanceLock::tryAcquire(lockPath()).held());
}

TEST_F(InstanceIdentityTest, AKilledProcessLeavesTheLockFree) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    InstanceLock held = InstanceLock::tryAcquire(lockPath());
    char ok = held.held() ? 'y' : 'n';
    (void)!write(ready[1], &ok, 1);
    pause();  // killed below, never unlocking by itself
    _exit(0);
  }
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, 'y');
  EXPECT_FALSE(InstanceLock::tryAcquire(lockPath()).held()) << "the child still holds it";
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_TRUE(InstanceLock::tryAcquire(lockPath()).held());
  close(ready[0]);
  close(ready[1]);
}

TEST_F(InstanceIdentityTest, AnUnopenableFileIsReportedNotHeld) {
  InstanceLock lock = InstanceLock::tryAcquire((dir / "missing-dir" / "instance.lock").string());
  EXPECT_FALSE(lock.held());
  EXPECT_NE(lock.reason().find("cannot open"), std::string::npos) << lock.reason();
}
