#include "conversation/read_watermark.h"

#include "common/json_io.h"

namespace chathost::host {

std::optional<std::int64_t> readWatermark(const std::string& metaJson) {
  const auto meta = json::parseObject(metaJson);
  if (!meta) return std::nullopt;
  const auto read = json::asObject(meta->get("read"));
  if (!read) return std::nullopt;
  const auto watermark = json::asInteger(read->get("watermark"));
  if (!watermark || *watermark <= 0) return std::nullopt;
  return watermark;
}

const Message* newestReadBy(const std::vector<Message>& messages, std::int64_t watermark) {
  const Message* newest = nullptr;
  for (const Message& m : messages) {
    if (m.direction != "outbound" || m.mid.empty() || m.timestamp > watermark) continue;
    if (!newest || m.timestamp > newest->timestamp ||
        (m.timestamp == newest->timestamp && m.seq > newest->seq))
      newest = &m;
  }
  return newest;
}

}  // namespace chathost::host
