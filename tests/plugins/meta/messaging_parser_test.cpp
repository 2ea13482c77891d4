#include "meta_test_support.h"

#include <chathost/meta/json_util.h>
#include <chathost/meta/messaging_parser.h>

#include <gtest/gtest.h>

#include <set>

using namespace chathost::meta;
using chathost::meta::testing::readCorpus;
using chathost::sdk::EventKind;
using chathost::sdk::ParsedWebhook;

namespace {
// The Instagram channel's object; the parser is the same for Messenger's "page".
chathost::sdk::Result<ParsedWebhook> parseWebhook(std::string_view body) {
  return parseMessagingWebhook(body, "instagram");
}

ParsedWebhook parse(const std::string& file) {
  auto r = parseWebhook(readCorpus(file));
  EXPECT_TRUE(r.isOk()) << r.status().message();
  return r.isOk() ? r.value() : ParsedWebhook{};
}
}  // namespace

TEST(MessagingParser, TextMessagesWithRepliesQuickRepliesAndReferrals) {
  auto p = parse("text_and_replies.json");
  ASSERT_EQ(p.events.size(), 5u);
  for (const auto& e : p.events) {
    EXPECT_EQ(e.kind, EventKind::kMessage);
    EXPECT_EQ(e.accountId, "17841400000000001");
    EXPECT_EQ(e.senderId, "5500000000000001");
    EXPECT_EQ(e.recipientId, "17841400000000001");
    EXPECT_EQ(e.userId, "5500000000000001");
    EXPECT_FALSE(e.standby);
    EXPECT_EQ(e.dedupKey, "mid:" + e.mid);
  }
  EXPECT_EQ(p.events[0].mid, "aWdfZAG1faXRlbTo1");
  EXPECT_EQ(p.events[0].text, "Hello, do you ship to Lisbon? \xc3\xa9\xc3\xa8 \xf0\x9f\x98\x80");
  EXPECT_EQ(p.events[0].timestamp, 1718000001000);
  EXPECT_EQ(p.events[0].attachmentsJson, "[]");
  EXPECT_NE(p.events[1].metaJson.find("\"reply_to\":{\"mid\":\"aWdfZAG1faXRlbTo1\"}"),
            std::string::npos);
  EXPECT_NE(p.events[2].metaJson.find("\"story\""), std::string::npos);
  EXPECT_NE(p.events[3].metaJson.find("CONFIRM_YES"), std::string::npos);
  EXPECT_NE(p.events[4].metaJson.find("\"ad_id\":\"2385\""), std::string::npos);
  EXPECT_EQ(p.ignored, 0);
}

TEST(MessagingParser, KeepsEveryAttachmentType) {
  auto p = parse("attachments.json");
  ASSERT_EQ(p.events.size(), 1u);
  auto obj = parseObject("{\"a\":" + p.events[0].attachmentsJson + "}");
  ASSERT_TRUE(obj);
  auto arr = getArray(*obj, "a");
  ASSERT_TRUE(arr);
  ASSERT_EQ(arr->size(), 15u);
  std::vector<std::string> types;
  for (std::size_t i = 0; i < arr->size(); ++i)
    types.push_back(getString(*arr->getObject(i), "type").value_or(""));
  for (const char* t :
       {"image", "audio", "video", "file", "share", "story_mention", "ig_reel", "reel", "ig_post",
        "ig_story", "location", "fallback", "like_heart", "template", "unsupported_type"})
    EXPECT_NE(std::find(types.begin(), types.end(), t), types.end()) << t;
  EXPECT_EQ(getString(*arr->getObject(0), "url").value_or(""), "https://cdn.example/img.jpg");
}

TEST(MessagingParser, EveryOtherEventKindWithItsDedupKey) {
  auto p = parse("other_events.json");
  ASSERT_EQ(p.events.size(), 10u);
  const std::string user = "5500000000000001";
  const auto& echo = p.events[0];
  EXPECT_EQ(echo.kind, EventKind::kEcho);
  EXPECT_EQ(echo.senderId, "17841400000000001");
  EXPECT_EQ(echo.recipientId, user);
  EXPECT_EQ(echo.userId, user);  // the customer, not the account
  EXPECT_EQ(echo.mid, "m_echo_1");
  EXPECT_NE(echo.metaJson.find("\"app_id\":\"123\""), std::string::npos);
  EXPECT_EQ(echo.dedupKey, "mid:m_echo_1");

  EXPECT_EQ(p.events[1].kind, EventKind::kUnsend);
  EXPECT_EQ(p.events[1].mid, "aWdfZAG1faXRlbTo1");
  EXPECT_EQ(p.events[1].dedupKey, "deleted:aWdfZAG1faXRlbTo1");

  EXPECT_EQ(p.events[2].kind, EventKind::kMessage);
  EXPECT_NE(p.events[2].metaJson.find("\"unsupported\":true"), std::string::npos);
  EXPECT_EQ(p.events[2].dedupKey, "mid:m_unsupported");

  EXPECT_EQ(p.events[3].kind, EventKind::kEdit);
  EXPECT_EQ(p.events[3].text, "this one, edited");
  EXPECT_EQ(p.events[3].dedupKey, "edit:aWdfZAG1faXRlbTo2:1:this one, edited");

  EXPECT_EQ(p.events[4].kind, EventKind::kReaction);
  EXPECT_EQ(p.events[4].reactionAction, "react");
  EXPECT_EQ(p.events[4].reaction, "love");
  EXPECT_EQ(p.events[4].emoji, "\xe2\x9d\xa4\xef\xb8\x8f");
  EXPECT_EQ(p.events[4].dedupKey, "reaction:m_echo_1:react:love:" + user + ":1718000205000");
  EXPECT_EQ(p.events[5].reactionAction, "unreact");
  EXPECT_EQ(p.events[5].dedupKey, "reaction:m_echo_1:unreact::" + user + ":1718000206000");

  EXPECT_EQ(p.events[6].kind, EventKind::kPostback);
  EXPECT_EQ(p.events[6].mid, "m_postback_1");
  EXPECT_EQ(p.events[6].text, "Get started");
  EXPECT_EQ(p.events[6].dedupKey, "postback:m_postback_1");
  EXPECT_EQ(p.events[7].kind, EventKind::kPostback);
  EXPECT_TRUE(p.events[7].mid.empty());
  EXPECT_NE(p.events[7].metaJson.find("ICE_1"), std::string::npos);
  EXPECT_EQ(p.events[7].dedupKey, "postback:" + user + ":1718000208000");

  EXPECT_EQ(p.events[8].kind, EventKind::kRead);
  EXPECT_EQ(p.events[8].mid, "m_echo_1");
  EXPECT_EQ(p.events[8].dedupKey, "read:m_echo_1:" + user + ":1718000209000");

  EXPECT_EQ(p.events[9].kind, EventKind::kReferral);
  EXPECT_NE(p.events[9].metaJson.find("qr_code"), std::string::npos);
  EXPECT_EQ(p.events[9].dedupKey, "referral:" + user + ":1718000210000");

  for (const auto& e : p.events) EXPECT_EQ(e.accountId, "17841400000000001");
}

TEST(MessagingParser, MessagesWithoutMidAreKeyedBySenderAndTime) {
  auto p = parseWebhook(R"({"entry":[{"id":"1","messaging":[
    {"sender":{"id":"7"},"recipient":{"id":"1"},"timestamp":42,"message":{"text":"hi"}}]}]})");
  ASSERT_TRUE(p.isOk());
  ASSERT_EQ(p->events.size(), 1u);
  EXPECT_EQ(p->events[0].dedupKey, "message:7:42");
}

TEST(MessagingParser, StandbyChangesAndUnknownKindsNeverFailTheBatch) {
  auto p = parse("standby_changes_unknown.json");
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_TRUE(p.events[0].standby);
  EXPECT_EQ(p.events[0].kind, EventKind::kMessage);
  EXPECT_NE(p.events[0].metaJson.find("\"standby\":true"), std::string::npos);
  EXPECT_EQ(p.events[1].kind, EventKind::kUnknown);
  EXPECT_EQ(p.events[1].userId, "5500000000000003");
  EXPECT_EQ(p.events[1].dedupKey, "unknown:5500000000000003:1718000302000");
  EXPECT_EQ(p.ignored, 2);  // the two `changes` items
}

TEST(MessagingParser, SortsByTimestampAcrossEntries) {
  auto p = parse("unsorted_multi_entry.json");
  ASSERT_EQ(p.events.size(), 3u);
  EXPECT_EQ(p.events[0].text, "first");
  EXPECT_EQ(p.events[1].text, "second");
  EXPECT_EQ(p.events[1].accountId, "17841400000000002");
  EXPECT_EQ(p.events[2].text, "third");
  EXPECT_EQ(p.events[2].accountId, "17841400000000001");
}

TEST(MessagingParser, RejectsBodiesThatAreNotWebhooks) {
  for (const char* bad : {"", "[1,2]", "{\"object\":\"instagram\"}", "{\"entry\":["}) {
    auto r = parseWebhook(bad);
    ASSERT_FALSE(r.isOk()) << bad;
    EXPECT_EQ(r.status().code(), chathost::sdk::ErrorCode::kValidation);
  }
  auto odd = parseWebhook(R"({"entry":[1,"x",{"id":5,"messaging":[null,{"timestamp":"x"}]}]})");
  ASSERT_TRUE(odd.isOk());
  ASSERT_EQ(odd->events.size(), 1u);
  EXPECT_EQ(odd->events[0].kind, EventKind::kUnknown);
  EXPECT_EQ(odd->events[0].accountId, "5");
  EXPECT_EQ(odd->ignored, 3);  // two entries and one item that are not objects
}

TEST(MessagingParser, DedupKeysDistinguishEventsAboutTheSameMessage) {
  auto p = parse("other_events.json");
  std::set<std::string> keys;
  for (const auto& e : p.events) keys.insert(e.dedupKey);
  EXPECT_EQ(keys.size(), p.events.size());
}

TEST(MessagingParser, RedeliveriesGiveTheSameEvents) {
  auto a = parse("other_events.json");
  auto b = parse("other_events.json");
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].dedupKey, b.events[i].dedupKey);
    EXPECT_EQ(a.events[i].metaJson, b.events[i].metaJson);
  }
}

TEST(MessagingParser, ABodyOfAnotherPlatformIsRefusedOneWithoutObjectAccepted) {
  const std::string items = R"("entry":[{"id":"1","messaging":[
    {"sender":{"id":"7"},"recipient":{"id":"1"},"timestamp":42,"message":{"mid":"m1","text":"hi"}}]}])";
  auto page = parseMessagingWebhook("{\"object\":\"page\"," + items + "}", "page");
  ASSERT_TRUE(page.isOk()) << page.status().message();
  EXPECT_EQ(page->events.size(), 1u);
  auto wrong = parseMessagingWebhook("{\"object\":\"instagram\"," + items + "}", "page");
  ASSERT_FALSE(wrong.isOk());
  EXPECT_EQ(wrong.status().code(), chathost::sdk::ErrorCode::kValidation);
  EXPECT_NE(wrong.status().message().find("'instagram', not 'page'"), std::string::npos);
  EXPECT_TRUE(parseMessagingWebhook("{" + items + "}", "page").isOk());
}

TEST(MessagingParser, AReadWatermarkKeepsNoMidAndTheWatermarkInMeta) {
  auto p = parseMessagingWebhook(R"({"object":"page","entry":[{"id":"1","messaging":[
    {"sender":{"id":"7"},"recipient":{"id":"1"},"timestamp":50,"read":{"watermark":45}},
    {"sender":{"id":"7"},"recipient":{"id":"1"},"timestamp":60,"read":{"mid":"m9"}}]}]})",
                                 "page");
  ASSERT_TRUE(p.isOk());
  ASSERT_EQ(p->events.size(), 2u);
  EXPECT_EQ(p->events[0].kind, EventKind::kRead);
  EXPECT_EQ(p->events[0].mid, "");
  EXPECT_EQ(p->events[0].metaJson, R"({"read":{"watermark":45}})");
  EXPECT_EQ(p->events[0].dedupKey, "read::7:50");
  EXPECT_EQ(p->events[1].mid, "m9");
  EXPECT_EQ(p->events[1].metaJson, "{}");
}
