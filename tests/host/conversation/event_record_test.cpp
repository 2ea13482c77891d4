#include "conversation/event_record.h"
#include "harness.h"

#include <gtest/gtest.h>

using namespace chathost;
using namespace chathost::testing;
using host::eventFromPayload;
using host::eventToPayload;
using host::legacyPayloadAsWebhookBody;
using sdk::EventKind;

namespace {

constexpr EventKind kAllKinds[] = {EventKind::kMessage,  EventKind::kEcho,     EventKind::kPostback,
                                   EventKind::kReaction, EventKind::kRead,     EventKind::kEdit,
                                   EventKind::kUnsend,   EventKind::kReferral, EventKind::kUnknown};

sdk::InboundEvent everyFieldSet(EventKind kind) {
  sdk::InboundEvent e;
  e.kind = kind;
  e.accountId = "acct-1";
  e.userId = "user-1";
  e.senderId = "sender-1";
  e.recipientId = "recipient-1";
  e.standby = true;
  e.timestamp = 1718000001234;
  e.mid = "m-1";
  e.text = "say \"hi\"\n\ttwice \\ \xc3\xa9 \xf0\x9f\x98\x80";
  e.attachmentsJson = R"([{"type":"image","payload":{"url":"https://x/y.png"}}])";
  e.metaJson = R"({"reply_to":{"mid":"m-0"},"quick_reply":{"payload":"A"}})";
  e.reactionAction = "react";
  e.reaction = "love";
  e.emoji = "\xe2\x9d\xa4";
  e.dedupKey = "mid:m-1";
  return e;
}

void expectSame(const sdk::InboundEvent& a, const sdk::InboundEvent& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.accountId, b.accountId);
  EXPECT_EQ(a.userId, b.userId);
  EXPECT_EQ(a.senderId, b.senderId);
  EXPECT_EQ(a.recipientId, b.recipientId);
  EXPECT_EQ(a.standby, b.standby);
  EXPECT_EQ(a.timestamp, b.timestamp);
  EXPECT_EQ(a.mid, b.mid);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.attachmentsJson, b.attachmentsJson);
  EXPECT_EQ(a.metaJson, b.metaJson);
  EXPECT_EQ(a.reactionAction, b.reactionAction);
  EXPECT_EQ(a.reaction, b.reaction);
  EXPECT_EQ(a.emoji, b.emoji);
  EXPECT_EQ(a.dedupKey, b.dedupKey);
}

const char* kLegacyItem =
    R"({"sender":{"id":"user-1"},"recipient":{"id":"acct-1"},"timestamp":1718000001000,)"
    R"("message":{"mid":"m_old","text":"hi"}})";

std::string legacyPayload(const std::string& standby) {
  return R"({"entryId":"acct-1","standby":)" + standby +
         R"(,"subaccountId":"sub1","agentId":"agent1","event":)" + kLegacyItem + "}";
}

}  // namespace

TEST(EventRecord, EveryFieldOfEveryKindSurvivesTheRoundTrip) {
  for (EventKind kind : kAllKinds) {
    SCOPED_TRACE(sdk::eventKindName(kind));
    const sdk::InboundEvent e = everyFieldSet(kind);
    auto back = eventFromPayload(eventToPayload(e));
    ASSERT_TRUE(back.has_value());
    expectSame(*back, e);
  }
}

TEST(EventRecord, DefaultsSurviveTheRoundTrip) {
  sdk::InboundEvent e;
  auto back = eventFromPayload(eventToPayload(e));
  ASSERT_TRUE(back.has_value());
  expectSame(*back, e);
  EXPECT_FALSE(back->standby);
  EXPECT_EQ(back->attachmentsJson, "[]");
  EXPECT_EQ(back->metaJson, "{}");
}

TEST(EventRecord, ThePayloadIsAJsonObject) {
  auto o = json::parseObject(eventToPayload(everyFieldSet(EventKind::kReaction)));
  ASSERT_TRUE(o);
  EXPECT_EQ(o->getValue<std::string>("kind"), "reaction");
  EXPECT_TRUE(o->getArray("attachments"));
  EXPECT_TRUE(o->getObject("meta"));
}

TEST(EventRecord, AttachmentsThatAreNotAJsonArrayAreStoredAsEmpty) {
  for (const char* bad : {"{}", "\"text\"", "42", "", "not json", "[1,", "null"}) {
    SCOPED_TRACE(bad);
    sdk::InboundEvent e = everyFieldSet(EventKind::kMessage);
    e.attachmentsJson = bad;
    const std::string payload = eventToPayload(e);
    ASSERT_TRUE(json::parseObject(payload)) << payload;
    auto back = eventFromPayload(payload);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->attachmentsJson, "[]");
    EXPECT_EQ(back->text, e.text);
  }
}

TEST(EventRecord, MetaThatIsNotAJsonObjectIsStoredAsEmpty) {
  for (const char* bad : {"[]", "[{\"a\":1}]", "\"text\"", "7", "", "{oops", "true"}) {
    SCOPED_TRACE(bad);
    sdk::InboundEvent e = everyFieldSet(EventKind::kMessage);
    e.metaJson = bad;
    const std::string payload = eventToPayload(e);
    ASSERT_TRUE(json::parseObject(payload)) << payload;
    auto back = eventFromPayload(payload);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->metaJson, "{}");
    EXPECT_EQ(back->attachmentsJson, e.attachmentsJson);
  }
}

TEST(EventRecord, UnreadablePayloadsAreRefused) {
  for (const char* bad :
       {"", "not json", "[]", "\"message\"", "{}", R"({"kind":"bogus"})",
        R"({"kind":5,"text":"x"})", R"({"text":"no kind"})", R"({"kind":"MESSAGE"})"}) {
    EXPECT_FALSE(eventFromPayload(bad).has_value()) << bad;
  }
}

TEST(EventRecord, MistypedMembersFallBackToDefaults) {
  auto e = eventFromPayload(
      R"({"kind":"edit","text":5,"standby":"yes","timestamp":"late","attachments":{},)"
      R"("meta":[],"mid":null,"dedupKey":"k"})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind, EventKind::kEdit);
  EXPECT_EQ(e->text, "");
  EXPECT_FALSE(e->standby);
  EXPECT_EQ(e->timestamp, 0);
  EXPECT_EQ(e->attachmentsJson, "[]");
  EXPECT_EQ(e->metaJson, "{}");
  EXPECT_EQ(e->mid, "");
  EXPECT_EQ(e->dedupKey, "k");
}

TEST(EventRecord, ALegacyPayloadIsNotReadAsAnEvent) {
  EXPECT_FALSE(eventFromPayload(legacyPayload("false")).has_value());
}

TEST(LegacyPayload, AMessagingItemBecomesAOneItemWebhookBody) {
  auto body = legacyPayloadAsWebhookBody(legacyPayload("false"));
  ASSERT_TRUE(body.has_value());
  auto o = json::parseObject(*body);
  ASSERT_TRUE(o) << *body;
  EXPECT_EQ(o->getValue<std::string>("object"), "instagram");
  auto entries = o->getArray("entry");
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  auto entry = entries->getObject(0);
  EXPECT_EQ(entry->getValue<std::string>("id"), "acct-1");
  EXPECT_FALSE(entry->has("standby"));
  auto items = entry->getArray("messaging");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(json::toText(items->get(0)), kLegacyItem);
}

TEST(LegacyPayload, AStandbyItemGoesUnderStandby) {
  auto body = legacyPayloadAsWebhookBody(legacyPayload("true"));
  ASSERT_TRUE(body.has_value());
  auto entry = json::parseObject(*body)->getArray("entry")->getObject(0);
  EXPECT_FALSE(entry->has("messaging"));
  auto items = entry->getArray("standby");
  ASSERT_TRUE(items);
  EXPECT_EQ(json::toText(items->get(0)), kLegacyItem);
}

TEST(LegacyPayload, AMissingOrOddStandbyMeansMessaging) {
  for (const std::string& standby :
       {std::string("\"true\""), std::string("1"), std::string("null")}) {
    auto body = legacyPayloadAsWebhookBody(legacyPayload(standby));
    ASSERT_TRUE(body.has_value()) << standby;
    EXPECT_TRUE(json::parseObject(*body)->getArray("entry")->getObject(0)->has("messaging"));
  }
  auto noStandby = legacyPayloadAsWebhookBody(std::string(R"({"entryId":"acct-1","event":)") +
                                              kLegacyItem + "}");
  ASSERT_TRUE(noStandby.has_value());
  EXPECT_NE(noStandby->find("\"messaging\":["), std::string::npos);
}

TEST(LegacyPayload, AnEntryIdThatNeedsEscapingStaysValidJson) {
  auto body =
      legacyPayloadAsWebhookBody(std::string(R"({"entryId":"a\"b","event":)") + kLegacyItem + "}");
  ASSERT_TRUE(body.has_value());
  auto o = json::parseObject(*body);
  ASSERT_TRUE(o) << *body;
  EXPECT_EQ(o->getArray("entry")->getObject(0)->getValue<std::string>("id"), "a\"b");
}

TEST(LegacyPayload, AnythingElseIsRefused) {
  const std::string item = kLegacyItem;
  for (const std::string& bad :
       {std::string(""), std::string("not json"), std::string("[]"),
        std::string(R"({"entryId":"acct-1"})"),                 // no event
        std::string(R"({"entryId":"acct-1","event":[1]})"),     // event not an object
        std::string(R"({"entryId":"acct-1","event":"text"})"),  // event not an object
        R"({"standby":false,"event":)" + item + "}",            // no entryId
        eventToPayload(userMessage("m1", "hi"))}) {             // the new format
    EXPECT_FALSE(legacyPayloadAsWebhookBody(bad).has_value()) << bad;
  }
}

TEST(ConversationKey, NamesSubaccountAgentAndUser) {
  EXPECT_EQ(host::conversationKey("sub1", "agent1", "user-1"), "sub1:agent1:user-1");
  EXPECT_NE(host::conversationKey("sub1", "agent1", "u"),
            host::conversationKey("sub2", "agent1", "u"));
}
