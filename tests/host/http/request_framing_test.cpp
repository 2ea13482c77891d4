#include "http/request_framing.h"

#include <gtest/gtest.h>

#include "http/response_wire.h"

namespace chathost::host {
namespace {

FramingLimits limits() {
  FramingLimits l;
  l.maxBodyBytes = 64;
  l.maxHeaderBytes = 256;
  return l;
}

TEST(RequestFramingTest, FramesARequestAndCountsItsBytes) {
  const std::string bytes =
      "POST /api/x?a=1&b=%20 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /next";
  const auto framed = frameRequest(bytes, limits());
  ASSERT_TRUE(framed.isOk()) << framed.status().message();
  EXPECT_EQ(framed->request.method, sdk::Method::kPost);
  EXPECT_EQ(framed->request.path, "/api/x");
  EXPECT_EQ(framed->request.queryParam("b"), " ");
  EXPECT_EQ(framed->request.body, "abc");
  EXPECT_EQ(framed->request.header("host"), "h");
  EXPECT_TRUE(framed->keepAlive);
  EXPECT_EQ(framed->consumed, bytes.find("GET /next"));
}

TEST(RequestFramingTest, AbsoluteFormTargetsKeepOnlyThePath) {
  const auto framed = frameRequest("GET http://h:1/p?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", limits());
  ASSERT_TRUE(framed.isOk());
  EXPECT_EQ(framed->request.path, "/p");
}

TEST(RequestFramingTest, ClassifiesWhatItRefuses) {
  struct Case {
    std::string bytes;
    sdk::ErrorCode code;
  };
  const std::vector<Case> cases = {
      {"POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n", sdk::ErrorCode::kPayloadTooLarge},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
       sdk::ErrorCode::kValidation},
      {"OPTIONS / HTTP/1.1\r\n\r\n", sdk::ErrorCode::kNotFound},
      {"GET * HTTP/1.1\r\n\r\n", sdk::ErrorCode::kValidation},
      {"GET /?a=%zz HTTP/1.1\r\n\r\n", sdk::ErrorCode::kValidation},
      {"GET / HTTP/1.1\r\nX: " + std::string(300, 'a') + "\r\n\r\n", sdk::ErrorCode::kValidation},
      {"GET / HTTP/1.1\r\nHost: h\r\n", sdk::ErrorCode::kValidation},  // cut short
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.bytes.substr(0, 60));
    const auto framed = frameRequest(c.bytes, limits());
    ASSERT_FALSE(framed.isOk());
    EXPECT_EQ(framed.status().code(), c.code) << framed.status().message();
  }
}

TEST(ResponseWireTest, FramesTheBodyAndKeepsTheHandlersHeadersSafe) {
  sdk::Response r = sdk::Response::text(201, "hi");
  r.headers.emplace_back("Content-Length", "999");
  r.headers.emplace_back("X-Ok", "yes");
  r.headers.emplace_back("X-Split", "a\r\nInjected: 1");
  r.headers.emplace_back("Bad Name", "v");
  const std::string wire = serializeResponse(r, {true});
  EXPECT_EQ(wire.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << wire;
  EXPECT_NE(wire.find("\r\nX-Ok: yes\r\n"), std::string::npos);
  EXPECT_EQ(wire.find("Injected"), std::string::npos);
  EXPECT_EQ(wire.find("Bad Name"), std::string::npos);
  EXPECT_EQ(wire.find("999"), std::string::npos);
  EXPECT_NE(wire.find("Content-Length: 2\r\nConnection: keep-alive\r\n\r\nhi"), std::string::npos)
      << wire;
  EXPECT_NE(serializeResponse(r, {false}).find("Connection: close"), std::string::npos);
}

TEST(ResponseWireTest, AnInvalidStatusBecomes500) {
  sdk::Response r;
  r.status = 1000;
  EXPECT_EQ(serializeResponse(r, {true}).rfind("HTTP/1.1 500 ", 0), 0u);
}

}  // namespace
}  // namespace chathost::host
