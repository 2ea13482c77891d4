#include "conversation/channel_list.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

sdk::ChannelDescription channel(const std::string& name, const std::string& displayName) {
  sdk::ChannelDescription d;
  d.name = name;
  d.displayName = displayName;
  return d;
}

TEST(ChannelListTest, ListsChannelsByNameWithWhatTheDashboardDrawsTabsFrom) {
  sdk::ChannelDescription instagram = channel("instagram", "Instagram");
  instagram.connectFields = {{"accessToken", "Access token", true, true},
                             {"pageId", "", false, false}};
  instagram.maxTextBytes = 1000;
  instagram.replyWindowMs = 86400000;
  instagram.messageTags = {"HUMAN_AGENT"};
  instagram.taggedWindowMs = 604800000;
  instagram.sendsAttachments = true;
  instagram.oauthConnect = true;
  const std::string json = channelListJson({instagram, channel("echo", "")});
  EXPECT_EQ(json,
            "{\"channels\":["
            "{\"name\":\"echo\",\"displayName\":\"echo\",\"connectFields\":[],"
            "\"maxTextBytes\":1000,\"replyWindowMs\":0,\"messageTags\":[],\"taggedWindowMs\":0,"
            "\"sendsAttachments\":false,\"sendsSenderActions\":false,\"oauthConnect\":false},"
            "{\"name\":\"instagram\",\"displayName\":\"Instagram\",\"connectFields\":["
            "{\"name\":\"accessToken\",\"label\":\"Access token\",\"required\":true,"
            "\"secret\":true},"
            "{\"name\":\"pageId\",\"label\":\"pageId\",\"required\":false,\"secret\":false}],"
            "\"maxTextBytes\":1000,\"replyWindowMs\":86400000,\"messageTags\":[\"HUMAN_AGENT\"],"
            "\"taggedWindowMs\":604800000,\"sendsAttachments\":true,\"sendsSenderActions\":false,"
            "\"oauthConnect\":true}]}");
}

TEST(ChannelListTest, LabelsAreEscapedAsJson) {
  sdk::ChannelDescription odd = channel("odd", "Quote \" and <tag>");
  odd.connectFields = {{"token", "Line\nbreak", true, false}};
  const std::string json = channelListJson({odd});
  EXPECT_NE(json.find("\"displayName\":\"Quote \\\" and <tag>\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"label\":\"Line\\nbreak\""), std::string::npos) << json;
}

TEST(ChannelListTest, NoChannelsIsAnEmptyList) {
  EXPECT_EQ(channelListJson({}), "{\"channels\":[]}");
}

}  // namespace
}  // namespace chathost::host
