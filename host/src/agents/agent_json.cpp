#include "agents/agent_json.h"

#include "agents/secret_mask.h"

#include <chathost/sdk/json.h>

#include <chrono>
#include <cstdio>

namespace chathost::host {

std::string formatIsoMillis(std::int64_t ms) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds{ms}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> time{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return buf;
}

std::string agentToJson(const sdk::AgentInfo& agent) {
  std::string out = "{\"id\":" + sdk::jsonQuote(agent.id);
  out += ",\"name\":" + sdk::jsonQuote(agent.name);
  out += ",\"type\":" + sdk::jsonQuote(agent.type);
  out += ",\"config\":" + maskConfigSecrets(agent.configJson);
  out += ",\"createdAt\":" + sdk::jsonQuote(formatIsoMillis(agent.createdAt));
  out += ",\"updatedAt\":" + sdk::jsonQuote(formatIsoMillis(agent.updatedAt));
  out += "}";
  return out;
}

}  // namespace chathost::host
