#include "meta_test_support.h"

#include <chathost/meta/send_body.h>

#include <gtest/gtest.h>

using namespace chathost::meta;
using namespace chathost::meta::testing;
using chathost::sdk::ErrorCode;
using chathost::sdk::OutboundAttachment;
using chathost::sdk::OutboundMessage;
using chathost::sdk::SenderAction;

namespace {
OutboundMessage attachment(const std::string& type, const std::string& url) {
  OutboundMessage m;
  m.recipientId = "55";
  m.attachment = OutboundAttachment{type, url};
  return m;
}
OutboundMessage action(SenderAction a) {
  OutboundMessage m;
  m.recipientId = "55";
  m.action = a;
  return m;
}
}  // namespace

TEST(SendBody, AnUntaggedTextIsAResponse) {
  EXPECT_EQ(
      sendApiBody(textTo("55", "hi \"you\"")),
      R"({"recipient":{"id":"55"},"message":{"text":"hi \"you\""},"messaging_type":"RESPONSE"})");
}

TEST(SendBody, ATaggedTextIsAMessageTag) {
  auto m = textTo("55", "back on Monday");
  m.tag = "HUMAN_AGENT";
  EXPECT_EQ(sendApiBody(m), R"({"recipient":{"id":"55"},"message":{"text":"back on Monday"},)"
                            R"("messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT"})");
}

TEST(SendBody, AnAttachmentGoesAsItsTypeAndUrl) {
  EXPECT_EQ(
      sendApiBody(attachment("image", "https://cdn.example/a.png?x=1&y=2")),
      R"({"recipient":{"id":"55"},"message":{"attachment":{"type":"image",)"
      R"("payload":{"url":"https://cdn.example/a.png?x=1&y=2"}}},"messaging_type":"RESPONSE"})");
  auto tagged = attachment("file", "http://files.example/f.pdf");
  tagged.tag = "HUMAN_AGENT";
  EXPECT_EQ(sendApiBody(tagged),
            R"({"recipient":{"id":"55"},"message":{"attachment":{"type":"file",)"
            R"("payload":{"url":"http://files.example/f.pdf"}}},)"
            R"("messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT"})");
}

TEST(SendBody, ASenderActionIsSentAloneWithoutMessagingType) {
  EXPECT_EQ(sendApiBody(action(SenderAction::kTypingOn)),
            R"({"recipient":{"id":"55"},"sender_action":"typing_on"})");
  EXPECT_EQ(sendApiBody(action(SenderAction::kTypingOff)),
            R"({"recipient":{"id":"55"},"sender_action":"typing_off"})");
  auto seen = action(SenderAction::kMarkSeen);
  seen.text = "ignored";
  seen.tag = "HUMAN_AGENT";
  EXPECT_EQ(sendApiBody(seen), R"({"recipient":{"id":"55"},"sender_action":"mark_seen"})");
  EXPECT_STREQ(senderActionName(SenderAction::kNone), "");
}

TEST(SendBody, OnlyHumanAgentIsASupportedTag) {
  EXPECT_EQ(supportedMessageTags(), std::vector<std::string>{"HUMAN_AGENT"});
  auto m = textTo("55", "x");
  m.tag = "HUMAN_AGENT";
  EXPECT_TRUE(checkOutbound(m).isOk());
  for (const char* bad : {"CONFIRMED_EVENT_UPDATE", "human_agent", "ACCOUNT_UPDATE"}) {
    m.tag = bad;
    auto s = checkOutbound(m);
    EXPECT_EQ(s.code(), ErrorCode::kValidation) << bad;
    EXPECT_NE(s.message().find(bad), std::string::npos);
  }
}

TEST(SendBody, AttachmentsNeedAKnownTypeAnHttpUrlAndNoText) {
  for (const char* type : {"image", "video", "audio", "file"})
    EXPECT_TRUE(checkOutbound(attachment(type, "https://x.example/a")).isOk()) << type;
  EXPECT_EQ(checkOutbound(attachment("sticker", "https://x.example/a")).message(),
            "attachment type must be image, video, audio or file");
  for (const char* url : {"ftp://x.example/a", "/relative", "https://", "", "javascript:alert(1)"})
    EXPECT_EQ(checkOutbound(attachment("image", url)).message(),
              "attachment url must be an absolute http(s) URL")
        << url;
  auto both = attachment("image", "https://x.example/a");
  both.text = "caption";
  EXPECT_EQ(checkOutbound(both).message(),
            "a message carries either text or an attachment, not both");
}

TEST(SendBody, SenderActionsAreAlwaysAcceptable) {
  auto a = action(SenderAction::kTypingOn);
  a.tag = "NOT_A_TAG";
  a.attachment = OutboundAttachment{"sticker", "nope"};
  EXPECT_TRUE(checkOutbound(a).isOk());
}
