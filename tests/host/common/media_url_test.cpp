#include "common/media_url.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(MediaUrlTest, AbsoluteHttpAndHttpsUrlsWithAHostPass) {
  for (const char* url :
       {"https://cdn.example.com/a.png", "http://x.io", "HTTPS://x.io/a", "Http://x.io/a?b=c#d",
        "https://203.0.113.9:8443/a.png", "https://[2001:db8::1]/a.png", "https://user:pw@x.io/a",
        "https://x.io/caf\xC3\xA9.png"})
    EXPECT_EQ(mediaUrlProblem(url), std::nullopt) << url;
}

TEST(MediaUrlTest, OtherSchemesAndRelativeUrlsAreRefused) {
  for (const char* url :
       {"", "x.io/a", "//x.io/a", "ftp://x.io/a", "file:///etc/passwd", "javascript:alert(1)",
        "https:/x.io/a", "data:image/png;base64,AA", "httpx://x.io/a"})
    EXPECT_EQ(mediaUrlProblem(url), "must be an absolute http:// or https:// URL") << url;
}

TEST(MediaUrlTest, AUrlMustNameAHostNotJustUserinfoOrAPort) {
  for (const char* url : {"https://", "http://", "https:///a.png", "https://user@/a",
                          "https://:443/a", "https://user@:443", "https://?q", "https://#f"})
    EXPECT_EQ(mediaUrlProblem(url), "must name a host") << url;
}

TEST(MediaUrlTest, SpacesControlCharactersAndLengthAreRefusedFirst) {
  const std::string prefix = "https://x.io/";
  const std::string exact = prefix + std::string(kMaxMediaUrlBytes - prefix.size(), 'a');
  EXPECT_EQ(mediaUrlProblem(exact), std::nullopt);
  EXPECT_EQ(mediaUrlProblem(exact + "a"), "must be at most 2048 bytes");
  for (const std::string& url :
       {std::string(" https://x.io/a"), std::string("https://x.io/a b"),
        std::string("https://x.io/a\r\nSet-Cookie: x"), std::string("https://x.io/\x7f"),
        std::string("https://x.io/a\0b", 16)})
    EXPECT_EQ(mediaUrlProblem(url), "must not contain spaces or control characters") << url;
}

}  // namespace
}  // namespace chathost::host
