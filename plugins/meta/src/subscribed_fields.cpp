#include <chathost/meta/subscribed_fields.h>

#include <chathost/meta/graph_api.h>
#include <chathost/meta/json_util.h>

#include <algorithm>

namespace chathost::meta {

namespace {
// The string members of `fields`, in order; anything else is not a field name.
std::vector<std::string> namesOf(const JsonArray::Ptr& fields) {
  std::vector<std::string> out;
  for (std::size_t i = 0; fields && i < fields->size(); ++i) {
    const auto& v = fields->get(static_cast<unsigned>(i));
    if (v.isString()) out.push_back(v.extract<std::string>());
  }
  return out;
}
}  // namespace

GraphResult<std::vector<std::string>> appSubscribedFields(std::string_view answerJson,
                                                          const std::string& appId) {
  GraphResult<std::vector<std::string>> out;
  auto answer = parseObject(answerJson);
  auto data = answer ? getArray(*answer, "data") : nullptr;
  if (!data) {
    out.error = malformedAnswer("the Graph API listed the subscribed apps without a data array");
    return out;
  }
  std::vector<JsonObject::Ptr> apps;
  for (std::size_t i = 0; i < data->size(); ++i)
    if (auto app = data->getObject(static_cast<unsigned>(i))) apps.push_back(app);
  out.value.emplace();
  if (appId.empty()) {
    if (apps.size() == 1) *out.value = namesOf(getArray(*apps.front(), "subscribed_fields"));
    return out;
  }
  for (const auto& app : apps)
    if (getString(*app, "id") == appId) {
      *out.value = namesOf(getArray(*app, "subscribed_fields"));
      break;
    }
  return out;
}

std::string fieldUnion(const std::vector<std::string>& existing, std::string_view wanted) {
  std::vector<std::string> all;
  auto add = [&all](std::string_view name) {
    if (!name.empty() && std::find(all.begin(), all.end(), name) == all.end())
      all.emplace_back(name);
  };
  for (const auto& name : existing) add(name);
  std::size_t start = 0;
  while (start <= wanted.size()) {
    std::size_t comma = wanted.find(',', start);
    if (comma == std::string_view::npos) comma = wanted.size();
    add(wanted.substr(start, comma - start));
    start = comma + 1;
  }
  std::string out;
  for (const auto& name : all) out += (out.empty() ? "" : ",") + name;
  return out;
}

}  // namespace chathost::meta
