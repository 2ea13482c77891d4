// How a stored outbound part maps to what a channel sends, and which attachments can be sent.
#include "conversation/outbound_parts.h"

#include "common/json_io.h"

#include <gtest/gtest.h>

using chathost::host::attachmentProblem;
using chathost::host::attachmentsJsonOf;
using chathost::host::outboundOf;
using chathost::sdk::OutboundAttachment;
using chathost::sdk::SenderAction;
namespace json = chathost::host::json;

namespace {

std::optional<std::string> problemOf(const std::string& type, const std::string& url) {
  return attachmentProblem(OutboundAttachment{type, url});
}

}  // namespace

TEST(OutboundParts, AnAttachmentIsStoredInTheContractsShape) {
  const std::string stored = attachmentsJsonOf({"image", "https://cdn.example.com/a.png"});
  EXPECT_EQ(stored, R"([{"type":"image","payload":{"url":"https://cdn.example.com/a.png"}}])");
  auto parsed = json::parse(stored);
  ASSERT_TRUE(parsed.isOk());
  auto first = json::asArray(*parsed)->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("type"), "image");
  EXPECT_EQ(first->getObject("payload")->getValue<std::string>("url"),
            "https://cdn.example.com/a.png");
}

TEST(OutboundParts, AStoredAttachmentIsSentAsIt) {
  const OutboundAttachment a{"video", "https://cdn.example.com/v.mp4?sig=\"x\"&t=1\\2"};
  auto out = outboundOf("user-1", "ignored text", attachmentsJsonOf(a));
  EXPECT_EQ(out.recipientId, "user-1");
  ASSERT_TRUE(out.attachment);
  EXPECT_EQ(out.attachment->type, a.type);
  EXPECT_EQ(out.attachment->url, a.url);
  EXPECT_EQ(out.text, "") << "an attachment goes alone";
  EXPECT_EQ(out.tag, "");
  EXPECT_EQ(out.action, SenderAction::kNone);
}

TEST(OutboundParts, OnlyTheFirstAttachmentIsSent) {
  auto out = outboundOf("u1", "",
                        R"([{"type":"audio","payload":{"url":"https://x.io/1.mp3"}},)"
                        R"({"type":"image","payload":{"url":"https://x.io/2.png"}}])");
  ASSERT_TRUE(out.attachment);
  EXPECT_EQ(out.attachment->url, "https://x.io/1.mp3");
}

TEST(OutboundParts, WithoutAnAttachmentTheTextIsSent) {
  for (const char* none : {"", "[]"}) {
    auto out = outboundOf("u1", "Hello", none);
    EXPECT_EQ(out.recipientId, "u1");
    EXPECT_EQ(out.text, "Hello") << none;
    EXPECT_FALSE(out.attachment) << none;
  }
}

TEST(OutboundParts, AttachmentsThatCannotBeReadFallBackToTheText) {
  for (const char* damaged :
       {"[1,", "{}", "null", "\"x\"", "[1]", "[null]", "[[]]", R"([{"type":"image"}])",
        R"([{"type":"image","url":"https://x.io/a"}])",  // an inbound shape, no payload
        R"([{"type":"image","payload":"https://x.io/a"}])", R"([{"type":"image","payload":{}}])",
        R"([{"type":"","payload":{"url":"https://x.io/a"}}])",
        R"([{"payload":{"url":"https://x.io/a"}}])",
        R"([{"type":"image","payload":{"url":""}}])"}) {
    auto out = outboundOf("u1", "the text", damaged);
    EXPECT_EQ(out.text, "the text") << damaged;
    EXPECT_FALSE(out.attachment) << damaged;
  }
}

TEST(AttachmentProblem, TheFourTypesAreAccepted) {
  for (const char* type : {"image", "video", "audio", "file"})
    EXPECT_FALSE(problemOf(type, "https://x.io/a")) << type;
  for (const char* type : {"", "gif", "IMAGE", "template", "image "})
    EXPECT_EQ(problemOf(type, "https://x.io/a"),
              "attachment.type must be one of image, video, audio, file")
        << type;
}

// The rule itself is common/media_url's (media_url_test); these check how /send words it.
TEST(AttachmentProblem, OnlyAbsoluteHttpUrls) {
  EXPECT_FALSE(problemOf("image", "http://x.io/a"));
  EXPECT_FALSE(problemOf("image", "https://x.io"));
  EXPECT_FALSE(problemOf("image", "HTTPS://x.io/a"));  // schemes have no case
  EXPECT_FALSE(problemOf("image", "https://203.0.113.9:8443/a.png?x=1#y"));
  for (const char* url : {"", "x.io/a", "//x.io/a", "ftp://x.io/a", "file:///etc/passwd",
                          "javascript:alert(1)", "https:/x.io/a", "data:image/png;base64,AAAA"})
    EXPECT_EQ(problemOf("image", url), "attachment.url must be an absolute http:// or https:// URL")
        << url;
}

TEST(AttachmentProblem, AUrlMustNameAHost) {
  for (const char* url : {"https://", "http://", "https:///a.png", "http:///"})
    EXPECT_EQ(problemOf("image", url), "attachment.url must name a host") << url;
}

TEST(AttachmentProblem, AtMost2048Bytes) {
  const std::string prefix = "https://x.io/";
  const std::string exact = prefix + std::string(2048 - prefix.size(), 'a');
  EXPECT_FALSE(problemOf("file", exact));
  EXPECT_EQ(problemOf("file", exact + "a"), "attachment.url must be at most 2048 bytes");
}

TEST(AttachmentProblem, NoSpacesOrControlCharacters) {
  for (const std::string& url :
       {std::string("https://x.io/a b"), std::string("https://x.io/a\tb"),
        std::string("https://x.io/a\r\nSet-Cookie: x"), std::string("https://x.io/a\x7f"),
        std::string("https://x.io/a\0b", 16), std::string("https://x.io/a "),
        std::string(" https://x.io/a")})
    EXPECT_EQ(problemOf("image", url),
              "attachment.url must not contain spaces or control characters")
        << url;
  // Non-ASCII bytes are left to the platform to fetch.
  EXPECT_FALSE(problemOf("image", "https://x.io/caf\xC3\xA9.png"));
}
