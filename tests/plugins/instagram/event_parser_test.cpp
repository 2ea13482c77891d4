#include "event_parser.h"
#include "json_util.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <set>

using namespace chathost::instagram;
using chathost::instagram::testing::readCorpus;

namespace {
ParsedWebhook parse(const std::string& file) {
  auto r = parseWebhook(readCorpus(file));
  EXPECT_TRUE(r.isOk()) << r.status().message();
  return r.isOk() ? r.value() : ParsedWebhook{};
}
}  // namespace

TEST(EventParser, TextMessagesWithRepliesQuickRepliesAndReferrals) {
  auto p = parse("text_and_replies.json");
  EXPECT_EQ(p.object, "instagram");
  ASSERT_EQ(p.events.size(), 5u);
  for (const auto& e : p.events) {
    EXPECT_EQ(e.kind, EventKind::kMessage);
    EXPECT_EQ(e.entryId, "17841400000000001");
    EXPECT_EQ(e.senderId, "5500000000000001");
    EXPECT_EQ(e.userId(), "5500000000000001");
  }
  EXPECT_EQ(p.events[0].mid, "aWdfZAG1faXRlbTo1");
  EXPECT_EQ(p.events[0].text, "Hello, do you ship to Lisbon? \xc3\xa9\xc3\xa8 \xf0\x9f\x98\x80");
  EXPECT_EQ(p.events[0].timestamp, 1718000001000);
  EXPECT_NE(p.events[1].metaJson.find("\"reply_to\":{\"mid\":\"aWdfZAG1faXRlbTo1\"}"),
            std::string::npos);
  EXPECT_NE(p.events[2].metaJson.find("\"story\""), std::string::npos);
  EXPECT_NE(p.events[3].metaJson.find("CONFIRM_YES"), std::string::npos);
  EXPECT_NE(p.events[4].metaJson.find("\"ad_id\":\"2385\""), std::string::npos);
}

TEST(EventParser, KeepsEveryAttachmentType) {
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

TEST(EventParser, EveryOtherEventKind) {
  auto p = parse("other_events.json");
  ASSERT_EQ(p.events.size(), 10u);
  const auto& echo = p.events[0];
  EXPECT_EQ(echo.kind, EventKind::kEcho);
  EXPECT_EQ(echo.userId(), "5500000000000001");
  EXPECT_EQ(echo.mid, "m_echo_1");
  EXPECT_EQ(p.events[1].kind, EventKind::kDeleted);
  EXPECT_EQ(p.events[1].mid, "aWdfZAG1faXRlbTo1");
  EXPECT_EQ(p.events[2].kind, EventKind::kMessage);
  EXPECT_NE(p.events[2].metaJson.find("\"unsupported\":true"), std::string::npos);
  EXPECT_EQ(p.events[3].kind, EventKind::kEdit);
  EXPECT_EQ(p.events[3].text, "this one, edited");
  EXPECT_EQ(p.events[3].editCount, 1);
  EXPECT_EQ(p.events[4].kind, EventKind::kReaction);
  EXPECT_EQ(p.events[4].reactionAction, "react");
  EXPECT_EQ(p.events[4].reaction, "love");
  EXPECT_EQ(p.events[5].reactionAction, "unreact");
  EXPECT_EQ(p.events[6].kind, EventKind::kPostback);
  EXPECT_EQ(p.events[6].mid, "m_postback_1");
  EXPECT_EQ(p.events[6].text, "Get started");
  EXPECT_EQ(p.events[7].kind, EventKind::kPostback);
  EXPECT_TRUE(p.events[7].mid.empty());
  EXPECT_NE(p.events[7].metaJson.find("ICE_1"), std::string::npos);
  EXPECT_EQ(p.events[8].kind, EventKind::kRead);
  EXPECT_EQ(p.events[8].mid, "m_echo_1");
  EXPECT_EQ(p.events[9].kind, EventKind::kReferral);
  EXPECT_NE(p.events[9].metaJson.find("qr_code"), std::string::npos);
}

TEST(EventParser, StandbyChangesAndUnknownKindsNeverFailTheBatch) {
  auto p = parse("standby_changes_unknown.json");
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_TRUE(p.events[0].standby);
  EXPECT_EQ(p.events[0].kind, EventKind::kMessage);
  EXPECT_EQ(p.events[1].kind, EventKind::kUnknown);
  EXPECT_EQ(p.changesSkipped, 2);
  EXPECT_EQ(p.unknownEvents, 1);
}

TEST(EventParser, SortsByTimestampAcrossEntries) {
  auto p = parse("unsorted_multi_entry.json");
  ASSERT_EQ(p.events.size(), 3u);
  EXPECT_EQ(p.events[0].text, "first");
  EXPECT_EQ(p.events[1].text, "second");
  EXPECT_EQ(p.events[1].entryId, "17841400000000002");
  EXPECT_EQ(p.events[2].text, "third");
  EXPECT_EQ(p.entryIds.size(), 2u);
}

TEST(EventParser, RejectsBodiesThatAreNotWebhooks) {
  EXPECT_FALSE(parseWebhook("").isOk());
  EXPECT_FALSE(parseWebhook("[1,2]").isOk());
  EXPECT_FALSE(parseWebhook("{\"object\":\"instagram\"}").isOk());
  EXPECT_FALSE(parseWebhook("{\"entry\":[").isOk());
  auto odd = parseWebhook(R"({"entry":[1,"x",{"id":5,"messaging":[null,{"timestamp":"x"}]}]})");
  ASSERT_TRUE(odd.isOk());
  ASSERT_EQ(odd->events.size(), 1u);
  EXPECT_EQ(odd->events[0].kind, EventKind::kUnknown);
  EXPECT_EQ(odd->events[0].entryId, "5");
}

TEST(EventParser, DedupKeysDistinguishEventsAboutTheSameMessage) {
  auto p = parse("other_events.json");
  std::set<std::string> keys;
  for (const auto& e : p.events) keys.insert(dedupKeyOf(e));
  EXPECT_EQ(keys.size(), p.events.size());
  EXPECT_EQ(dedupKeyOf(p.events[0]), "mid:m_echo_1");
}

TEST(EventParser, InboxPayloadRoundTrips) {
  auto p = parse("text_and_replies.json");
  for (const auto& e : p.events) {
    auto back = fromInboxPayload(toInboxPayload(e, "sub1", "agent1"));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->kind, e.kind);
    EXPECT_EQ(back->mid, e.mid);
    EXPECT_EQ(back->text, e.text);
    EXPECT_EQ(back->metaJson, e.metaJson);
    EXPECT_EQ(back->entryId, e.entryId);
    EXPECT_EQ(back->timestamp, e.timestamp);
  }
  EXPECT_FALSE(fromInboxPayload("nonsense"));
}
