#include "conversation/read_watermark.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

Message message(const std::string& mid, const std::string& direction, std::int64_t ts,
                std::int64_t seq) {
  Message m;
  m.mid = mid;
  m.direction = direction;
  m.timestamp = ts;
  m.seq = seq;
  return m;
}

TEST(ReadWatermarkTest, ReadsAPositiveIntegerWatermarkOnly) {
  EXPECT_EQ(readWatermark(R"({"read":{"watermark":1458668856253}})"), 1458668856253);
  EXPECT_FALSE(readWatermark(R"({"read":{"watermark":0}})"));
  EXPECT_FALSE(readWatermark(R"({"read":{"watermark":-5}})"));
  EXPECT_FALSE(readWatermark(R"({"read":{"watermark":"12"}})"));
  EXPECT_FALSE(readWatermark(R"({"read":{}})"));
  EXPECT_FALSE(readWatermark(R"({"read":7})"));
  EXPECT_FALSE(readWatermark("{}"));
  EXPECT_FALSE(readWatermark("not json"));
}

TEST(ReadWatermarkTest, TheNewestSentOutboundMessageAtOrBeforeTheWatermarkIsRead) {
  const std::vector<Message> messages = {
      message("in", "inbound", 100, 1),     message("out1", "outbound", 110, 2),
      message("", "outbound", 115, 3),  // not sent yet: no mid
      message("out2", "outbound", 120, 4),  message("out3", "outbound", 120, 5),
      message("later", "outbound", 121, 6),
  };
  const Message* read = newestReadBy(messages, 120);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->mid, "out3");  // equal times: the later of the two
  EXPECT_EQ(newestReadBy(messages, 119)->mid, "out1");
  EXPECT_EQ(newestReadBy(messages, 109), nullptr);
  EXPECT_EQ(newestReadBy({}, 1000), nullptr);
}

}  // namespace
}  // namespace chathost::host
