// Facebook Pages (Messenger) and user tokens: a node answers the fields asked for and refuses
// the ones its type does not have, as the Graph API does; `metadata=1` tells the node's type.
#include "fake_graph.h"
#include "fake_graph_util.h"

#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace chathost::fakes {

using detail::graphError;
using detail::json;
using detail::stringify;

namespace {
std::vector<std::string> requestedFields(const FakeRequest& request) {
  std::string list = detail::queryOf(request, "fields");
  if (list.empty()) list = "id,name";
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

FakeResponse nonexistingField(const std::string& field, const std::string& nodeType) {
  return graphError(
      100, 0,
      "(#100) Tried accessing nonexisting field (" + field + ") on node type (" + nodeType + ")",
      "OAuthException");
}

// `values` holds every field the node type has (an empty value is left out of the answer).
FakeResponse nodeAnswer(const FakeRequest& request, const std::string& nodeType,
                        const std::map<std::string, std::string>& values) {
  Poco::JSON::Object out;
  for (const auto& field : requestedFields(request)) {
    auto it = values.find(field);
    if (it == values.end()) return nonexistingField(field, nodeType);
    if (!it->second.empty()) out.set(field, it->second);
  }
  if (detail::queryOf(request, "metadata") == "1") {
    Poco::JSON::Object metadata;
    std::string type = nodeType;
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    metadata.set("type", type);
    out.set("metadata", metadata);
  }
  return json(200, stringify(out));
}
}  // namespace

FakeResponse FakeGraph::pageNode(const FakeRequest& request, const FakeAccount& account,
                                 const std::string& id) const {
  if (account.kind == FakeAccountKind::kUser) {
    if (id != "me" && id != account.igId)
      return graphError(100, 33,
                        "Unsupported get request. Object with ID '" + id + "' does not exist",
                        "GraphMethodException");
    return nodeAnswer(request, "User", {{"id", account.igId}, {"name", account.name}});
  }
  if (id == "me" || id == account.pageId)
    return nodeAnswer(request, "Page",
                      {{"id", account.pageId},
                       {"name", account.name},
                       {"category", account.category},
                       {"username", account.username}});
  if (id.rfind("unknown", 0) == 0) return graphError(100, 33, "No profile for this user");
  // Any other id is a customer who messaged the Page (a page-scoped id): the User Profile API.
  return nodeAnswer(request, "User",
                    {{"id", id},
                     {"name", "User " + id},
                     {"first_name", "User"},
                     {"last_name", id},
                     {"profile_pic", "https://cdn.fake/p/" + id + ".jpg"}});
}

}  // namespace chathost::fakes
