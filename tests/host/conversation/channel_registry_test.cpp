#include "conversation/channel_registry.h"
#include "fake_channel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace chathost;
using chathost::host::ChannelRegistry;
using chathost::host::isValidChannelName;
using chathost::host::RegisteredChannel;
using chathost::testing::FakeChannel;
using sdk::ErrorCode;

namespace {
struct NamedChannel : FakeChannel {
  explicit NamedChannel(const std::string& name) { description.name = name; }
};
}  // namespace

TEST(ChannelName, LowerCaseLettersDigitsUnderscoreAndDashStartingWithALetter) {
  for (const char* good :
       {"instagram", "a", "x_1-y", "whatsapp2", "abcdefghijklmnopqrstuvwxyz012345"})
    EXPECT_TRUE(isValidChannelName(good)) << good;
  for (const char* bad : {"", "1abc", "_a", "-a", "Instagram", "insta gram", "a/b", "a.b", "a:b",
                          "\xc3\xa9t\xc3\xa9", "abcdefghijklmnopqrstuvwxyz0123456"})
    EXPECT_FALSE(isValidChannelName(bad)) << bad;
}

TEST(ChannelRegistry, AddedChannelsAreFoundByName) {
  ChannelRegistry registry;
  NamedChannel a{"alpha"}, b{"beta"};
  ASSERT_TRUE(registry.add(a).isOk());
  ASSERT_TRUE(registry.add(b).isOk());
  auto found = registry.find("alpha");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->description.name, "alpha");
  EXPECT_EQ(found->description.displayName, "FakeChat");
  EXPECT_EQ(found->description.maxTextBytes, 100u);
  ASSERT_TRUE(found->channel);
  EXPECT_EQ(registry.find("gamma"), nullptr);
  EXPECT_EQ(registry.all().size(), 2u);
}

TEST(ChannelRegistry, TheRegisteredChannelIsTheGuardAroundThePluginsObject) {
  ChannelRegistry registry;
  NamedChannel c{"alpha"};
  ASSERT_TRUE(registry.add(c).isOk());
  auto found = registry.find("alpha");
  EXPECT_NE(found->channel.get(), static_cast<sdk::Channel*>(&c));
  c.sends.thenDo([]() -> sdk::SendResult { throw std::runtime_error("boom"); });
  sdk::SendResult r = found->channel->send(sdk::Connection{}, {"u", "hi"});
  EXPECT_EQ(r.kind, sdk::SendResult::Kind::kRetry);
  EXPECT_NE(r.error.find("boom"), std::string::npos);
  EXPECT_EQ(c.sendCalls().size(), 1u);
}

TEST(ChannelRegistry, ASecondChannelOfTheSameNameIsAConflict) {
  ChannelRegistry registry;
  NamedChannel first{"alpha"}, second{"alpha"};
  second.description.displayName = "Second";
  ASSERT_TRUE(registry.add(first).isOk());
  EXPECT_EQ(registry.add(second).code(), ErrorCode::kConflict);
  EXPECT_EQ(registry.find("alpha")->description.displayName, "FakeChat");
  EXPECT_EQ(registry.all().size(), 1u);
}

TEST(ChannelRegistry, AnInvalidNameIsRefused) {
  ChannelRegistry registry;
  for (const char* bad : {"", "Insta", "a b", "9lives"}) {
    NamedChannel c{bad};
    EXPECT_EQ(registry.add(c).code(), ErrorCode::kValidation) << bad;
  }
  EXPECT_TRUE(registry.all().empty());
}

TEST(ChannelRegistry, AnUnusableDescriptionIsRefused) {
  ChannelRegistry registry;
  NamedChannel tiny{"tiny"};
  tiny.description.maxTextBytes = 15;
  EXPECT_EQ(registry.add(tiny).code(), ErrorCode::kValidation);
  NamedChannel negative{"negative"};
  negative.description.sendRatePerSecond = -1;
  EXPECT_EQ(registry.add(negative).code(), ErrorCode::kValidation);
  NamedChannel nan{"nan"};
  nan.description.sendRatePerSecond = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(registry.add(nan).code(), ErrorCode::kValidation);
  EXPECT_TRUE(registry.all().empty());

  NamedChannel smallest{"smallest"};
  smallest.description.maxTextBytes = 16;
  EXPECT_TRUE(registry.add(smallest).isOk());
}

TEST(ChannelRegistry, AChannelWhoseDescribeThrowsIsRefused) {
  ChannelRegistry registry;
  NamedChannel c{"alpha"};
  c.describeThrows = true;
  EXPECT_EQ(registry.add(c).code(), ErrorCode::kValidation);
  EXPECT_TRUE(registry.all().empty());
}

TEST(ChannelRegistry, OnAddedSeesTheChannelAlreadyFindable) {
  ChannelRegistry registry;
  bool foundDuringAdd = false;
  registry.setOnAdded([&](const RegisteredChannel& c) {
    foundDuringAdd = registry.find(c.description.name) != nullptr;
    return sdk::Status::ok();
  });
  NamedChannel c{"alpha"};
  ASSERT_TRUE(registry.add(c).isOk());
  EXPECT_TRUE(foundDuringAdd);
}

TEST(ChannelRegistry, AFailingOnAddedRollsTheChannelBack) {
  ChannelRegistry registry;
  registry.setOnAdded(
      [](const RegisteredChannel&) { return sdk::Status::internal("could not mount"); });
  NamedChannel c{"alpha"};
  auto s = registry.add(c);
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_EQ(s.message(), "could not mount");
  EXPECT_EQ(registry.find("alpha"), nullptr);
  EXPECT_TRUE(registry.all().empty());

  registry.setOnAdded([](const RegisteredChannel&) { return sdk::Status::ok(); });
  EXPECT_TRUE(registry.add(c).isOk());  // the name is free again
}

TEST(ChannelRegistry, ClearDropsEveryChannel) {
  ChannelRegistry registry;
  NamedChannel a{"alpha"}, b{"beta"};
  ASSERT_TRUE(registry.add(a).isOk());
  ASSERT_TRUE(registry.add(b).isOk());
  auto held = registry.find("alpha");
  registry.clear();
  EXPECT_TRUE(registry.all().empty());
  EXPECT_EQ(registry.find("alpha"), nullptr);
  EXPECT_EQ(held->description.name, "alpha");  // holders keep their reference
  EXPECT_TRUE(registry.add(a).isOk());
}
