// The body of POST <channel>/send read and checked, and the platform's messaging windows.
#include "conversation/send_request.h"

#include <gtest/gtest.h>

using chathost::host::parseSendRequest;
using chathost::host::utcTime;
using chathost::host::windowProblem;
using chathost::sdk::ChannelDescription;
using chathost::sdk::ErrorCode;

namespace {

constexpr std::int64_t kHour = 3600000;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kLast = 1718000000000;  // 2024-06-10T06:13:20Z

ChannelDescription plain() {
  ChannelDescription d;
  d.name = "fakechat";
  d.maxTextBytes = 20;
  return d;
}

// A channel that sends media, with Instagram's windows: 24 h, or 7 days tagged HUMAN_AGENT.
ChannelDescription windowed() {
  ChannelDescription d = plain();
  d.sendsAttachments = true;
  d.replyWindowMs = kDay;
  d.messageTags = {"HUMAN_AGENT"};
  d.taggedWindowMs = 7 * kDay;
  return d;
}

// The validation message for `body`; fails the test when the body is accepted.
std::string refusal(const std::string& body, const ChannelDescription& d = windowed()) {
  auto r = parseSendRequest(body, d);
  EXPECT_FALSE(r.isOk()) << body;
  if (r.isOk()) return "<accepted>";
  EXPECT_EQ(r.status().code(), ErrorCode::kValidation) << body;
  return r.status().message();
}

}  // namespace

TEST(ParseSendRequest, ATextMessage) {
  auto r = parseSendRequest(R"({"to":"user-1","message":"Hello"})", windowed());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->to, "user-1");
  EXPECT_EQ(r->text, "Hello");
  EXPECT_FALSE(r->attachment);
  EXPECT_EQ(r->tag, "");
}

TEST(ParseSendRequest, AnAttachmentAloneOrWithText) {
  auto media = parseSendRequest(
      R"({"to":"u1","attachment":{"type":"image","url":"https://cdn.example.com/a.png"}})",
      windowed());
  ASSERT_TRUE(media.isOk()) << media.status().message();
  EXPECT_EQ(media->text, "");
  ASSERT_TRUE(media->attachment);
  EXPECT_EQ(media->attachment->type, "image");
  EXPECT_EQ(media->attachment->url, "https://cdn.example.com/a.png");

  auto both = parseSendRequest(
      R"({"to":"u1","message":"look","attachment":{"type":"file","url":"http://x.io/f.pdf"}})",
      windowed());
  ASSERT_TRUE(both.isOk()) << both.status().message();
  EXPECT_EQ(both->text, "look");
  ASSERT_TRUE(both->attachment);
  EXPECT_EQ(both->attachment->type, "file");
}

TEST(ParseSendRequest, NullMembersCountAsAbsent) {
  auto r =
      parseSendRequest(R"({"to":"u1","message":"hi","attachment":null,"tag":null})", windowed());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_FALSE(r->attachment);
  EXPECT_EQ(r->tag, "");
  EXPECT_NE(refusal(R"({"to":"u1","message":null})").find("message is required"),
            std::string::npos);
}

TEST(ParseSendRequest, TheBodyMustBeAJsonObject) {
  for (const char* body : {"", "not json", "[]", "\"to\"", "42", "null", "{\"to\":"})
    EXPECT_EQ(refusal(body), "request body must be a JSON object") << body;
}

TEST(ParseSendRequest, ToIsRequiredAndAnId) {
  EXPECT_EQ(refusal(R"({"message":"hi"})"), "to is required");
  EXPECT_EQ(refusal(R"({"to":"","message":"hi"})"), "to is required");
  EXPECT_EQ(refusal(R"({"to":null,"message":"hi"})"), "to is required");
  for (const std::string& bad :
       {std::string("../me"), std::string("a b"), std::string("a/b"), std::string("a?b"),
        std::string("\xC3\xA9"), std::string(129, 'x')})
    EXPECT_EQ(refusal(R"({"to":")" + bad + R"(","message":"hi"})"), "to is not a valid id") << bad;
  for (const std::string& good :
       {std::string("17841400000000000"), std::string("A-b_c.9"), std::string(128, 'x')}) {
    auto r = parseSendRequest(R"({"to":")" + good + R"(","message":"hi"})", windowed());
    ASSERT_TRUE(r.isOk()) << good << ": " << r.status().message();
    EXPECT_EQ(r->to, good);
  }
}

TEST(ParseSendRequest, WrongTypesAreNamed) {
  EXPECT_EQ(refusal(R"({"to":5,"message":"hi"})"), "to must be a string");
  EXPECT_EQ(refusal(R"({"to":["u1"],"message":"hi"})"), "to must be a string");
  EXPECT_EQ(refusal(R"({"to":"u1","message":7})"), "message must be a string");
  EXPECT_EQ(refusal(R"({"to":"u1","message":{"text":"hi"}})"), "message must be a string");
  EXPECT_EQ(refusal(R"({"to":"u1","message":"hi","tag":true})"), "tag must be a string");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":"https://x.io/a.png"})"),
            "attachment must be an object with type and url");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":[{"type":"image"}]})"),
            "attachment must be an object with type and url");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":{"type":1,"url":"https://x.io/a"}})"),
            "attachment.type must be a string");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":{"type":"image","url":false}})"),
            "attachment.url must be a string");
}

TEST(ParseSendRequest, AMessageMayBeLeftOutButNotEmpty) {
  EXPECT_EQ(refusal(R"({"to":"u1","message":""})"), "message must not be empty");
  EXPECT_EQ(
      refusal(R"({"to":"u1","message":"","attachment":{"type":"image","url":"https://x.io/a"}})"),
      "message must not be empty");
  EXPECT_EQ(refusal(R"({"to":"u1"})"), "message is required (or an attachment)");
  EXPECT_EQ(refusal(R"({"to":"u1","tag":"HUMAN_AGENT"})"),
            "message is required (or an attachment)");
}

TEST(ParseSendRequest, TheMessageLimitIsInBytes) {
  const std::string exact(20, 'a');
  EXPECT_TRUE(parseSendRequest(R"({"to":"u1","message":")" + exact + "\"}", plain()).isOk());
  EXPECT_EQ(refusal(R"({"to":"u1","message":")" + exact + "a\"}", plain()),
            "message is longer than 20 bytes (UTF-8)");
  // Ten two-byte characters fit; eleven (22 bytes) do not, though they are 11 characters.
  std::string accents;
  for (int i = 0; i < 10; ++i) accents += "\xC3\xA9";
  EXPECT_TRUE(parseSendRequest(R"({"to":"u1","message":")" + accents + "\"}", plain()).isOk());
  EXPECT_EQ(refusal(R"({"to":"u1","message":")" + accents + "\xC3\xA9\"}", plain()),
            "message is longer than 20 bytes (UTF-8)");
  // An escaped character counts as the bytes it stands for.
  EXPECT_TRUE(
      parseSendRequest(
          R"({"to":"u1","message":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})",
          plain())
          .isOk());
}

TEST(ParseSendRequest, AMessageThatIsNotUtf8IsRefused) {
  // Raw bytes that are not UTF-8, and a lone surrogate escaped, whichever check finds them.
  refusal("{\"to\":\"u1\",\"message\":\"\xC3\x28\"}");
  refusal("{\"to\":\"u1\",\"message\":\"a\xFF\"}");
  refusal(R"({"to":"u1","message":"a\ud800b"})");
  auto ok = parseSendRequest(R"({"to":"u1","message":"\ud83d\ude00 ok"})", windowed());
  ASSERT_TRUE(ok.isOk()) << ok.status().message();
  EXPECT_EQ(ok->text, "\xF0\x9F\x98\x80 ok");
}

TEST(ParseSendRequest, AttachmentsNeedAChannelThatSendsThem) {
  const std::string body =
      R"({"to":"u1","message":"hi","attachment":{"type":"image","url":"https://x.io/a.png"}})";
  EXPECT_EQ(refusal(body, plain()), "this channel cannot send attachments");
  EXPECT_TRUE(parseSendRequest(R"({"to":"u1","message":"hi"})", plain()).isOk());
}

TEST(ParseSendRequest, AttachmentsAreChecked) {
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":{"url":"https://x.io/a"}})"),
            "attachment.type is required");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":{"type":"image"}})"), "attachment.url is required");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":{"type":"gif","url":"https://x.io/a"}})"),
            "attachment.type must be one of image, video, audio, file");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":{"type":"image","url":"ftp://x.io/a"}})"),
            "attachment.url must be an absolute http:// or https:// URL");
  EXPECT_EQ(refusal(R"({"to":"u1","attachment":{"type":"image","url":"https://x.io/a b"}})"),
            "attachment.url must not contain spaces or control characters");
  for (const char* type : {"image", "video", "audio", "file"})
    EXPECT_TRUE(parseSendRequest(std::string(R"({"to":"u1","attachment":{"type":")") + type +
                                     R"(","url":"https://x.io/a"}})",
                                 windowed())
                    .isOk())
        << type;
}

TEST(ParseSendRequest, ATagMustBeOneTheChannelNames) {
  auto r = parseSendRequest(R"({"to":"u1","message":"hi","tag":"HUMAN_AGENT"})", windowed());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->tag, "HUMAN_AGENT");
  EXPECT_EQ(refusal(R"({"to":"u1","message":"hi","tag":"human_agent"})"),
            "tag must be one of: HUMAN_AGENT");
  EXPECT_EQ(refusal(R"({"to":"u1","message":"hi","tag":""})"), "tag must be one of: HUMAN_AGENT");
  ChannelDescription two = windowed();
  two.messageTags = {"HUMAN_AGENT", "ACCOUNT_UPDATE"};
  EXPECT_EQ(refusal(R"({"to":"u1","message":"hi","tag":"X"})", two),
            "tag must be one of: HUMAN_AGENT, ACCOUNT_UPDATE");
  EXPECT_TRUE(parseSendRequest(R"({"to":"u1","message":"hi","tag":"ACCOUNT_UPDATE"})", two).isOk());
  EXPECT_EQ(refusal(R"({"to":"u1","message":"hi","tag":"HUMAN_AGENT"})", plain()),
            "this channel takes no message tags");
}

// ---- windows -----------------------------------------------------------------------------------

TEST(WindowProblem, NoWindowConfiguredOrAnUnknownLastMessageIsLeftToThePlatform) {
  EXPECT_FALSE(windowProblem(plain(), kLast, "", kLast + 365 * kDay));
  EXPECT_FALSE(windowProblem(windowed(), 0, "", kLast + 365 * kDay));
  EXPECT_FALSE(windowProblem(windowed(), 0, "HUMAN_AGENT", kLast + 365 * kDay));
}

TEST(WindowProblem, WithinTheReplyWindowAnythingGoes) {
  EXPECT_FALSE(windowProblem(windowed(), kLast, "", kLast));
  EXPECT_FALSE(windowProblem(windowed(), kLast, "", kLast + kDay - 1));
  EXPECT_FALSE(windowProblem(windowed(), kLast, "", kLast + kDay));
  EXPECT_FALSE(windowProblem(windowed(), kLast, "HUMAN_AGENT", kLast + kHour));
}

TEST(WindowProblem, AfterTheReplyWindowAnUntaggedMessageIsToldAboutTheTag) {
  auto problem = windowProblem(windowed(), kLast, "", kLast + kDay + 1);
  ASSERT_TRUE(problem);
  EXPECT_EQ(*problem,
            "the 24-hour reply window with this user closed at 2024-06-11T06:13:20Z; a person may "
            "still answer with \"tag\": \"HUMAN_AGENT\" until 2024-06-17T06:13:20Z");
}

TEST(WindowProblem, ATaggedMessageGoesUntilTheTaggedWindowCloses) {
  EXPECT_FALSE(windowProblem(windowed(), kLast, "HUMAN_AGENT", kLast + kDay + 1));
  EXPECT_FALSE(windowProblem(windowed(), kLast, "HUMAN_AGENT", kLast + 7 * kDay));
  auto problem = windowProblem(windowed(), kLast, "HUMAN_AGENT", kLast + 7 * kDay + 1);
  ASSERT_TRUE(problem);
  EXPECT_EQ(*problem,
            "the 7-day window for tag HUMAN_AGENT closed at 2024-06-17T06:13:20Z; the user must "
            "write first");
}

TEST(WindowProblem, AfterEveryWindowClosedTheUserMustWriteFirst) {
  auto problem = windowProblem(windowed(), kLast, "", kLast + 8 * kDay);
  ASSERT_TRUE(problem);
  EXPECT_EQ(*problem,
            "the 24-hour reply window with this user closed at 2024-06-11T06:13:20Z; the user "
            "must write first");
}

TEST(WindowProblem, AChannelWithoutTagsOnlyHasTheReplyWindow) {
  ChannelDescription d = windowed();
  d.messageTags.clear();
  d.taggedWindowMs = 0;
  auto problem = windowProblem(d, kLast, "", kLast + kDay + 1);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("the user must write first"), std::string::npos) << *problem;
  EXPECT_EQ(problem->find("tag"), std::string::npos) << *problem;
}

TEST(WindowProblem, ATaggedWindowShorterThanTheReplyWindowDoesNotShortenIt) {
  ChannelDescription d = windowed();
  d.taggedWindowMs = kHour;
  EXPECT_FALSE(windowProblem(d, kLast, "HUMAN_AGENT", kLast + kDay));
  auto problem = windowProblem(d, kLast, "HUMAN_AGENT", kLast + kDay + 1);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("24-hour window for tag HUMAN_AGENT"), std::string::npos) << *problem;
}

TEST(WindowProblem, WindowsAreNamedInHoursUnlessWholeDaysOfTwoOrMore) {
  ChannelDescription d = windowed();
  d.messageTags.clear();
  d.replyWindowMs = 36 * kHour;
  EXPECT_NE(windowProblem(d, kLast, "", kLast + 40 * kHour)->find("the 36-hour reply window"),
            std::string::npos);
  d.replyWindowMs = 2 * kDay;
  EXPECT_NE(windowProblem(d, kLast, "", kLast + 3 * kDay)->find("the 2-day reply window"),
            std::string::npos);
}

TEST(UtcTime, FormatsMillisecondsAsIso8601InUtc) {
  EXPECT_EQ(utcTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(utcTime(kLast), "2024-06-10T06:13:20Z");
  EXPECT_EQ(utcTime(kLast + 999), "2024-06-10T06:13:20Z");  // milliseconds are dropped
  EXPECT_EQ(utcTime(951782400000), "2000-02-29T00:00:00Z");
  EXPECT_EQ(utcTime(4102444799000), "2099-12-31T23:59:59Z");
}
