#pragma once
// Facebook Pages for Messenger tests: registering a Page (or a person's user token) with the
// fake Graph API, the connect body, and Messenger webhook bodies (`object: "page"`, the same
// entry and messaging items as Instagram's, built by edge_payloads).

#include "support/edge_payloads.h"

#include <string>
#include <vector>

namespace chathost::testing::page {

/// A Page the fake Graph API answers for with `token`.
struct FakePage {
  std::string token;
  std::string pageId;
  std::string name;

  /// Registers it through the fake's control API; false when the fake refused.
  bool registerWith(const std::string& graphBaseUrl) const;
  /// The Messenger connect body; `webhookSecret` and `verifyToken` left out when empty.
  std::string connectBody(const std::string& webhookSecret = "",
                          const std::string& verifyToken = "") const;
};

/// Registers a person's user token (its /me is a user, not a Page); false when refused.
bool registerUserToken(const std::string& graphBaseUrl, const std::string& token,
                       const std::string& userId, const std::string& name);

/// `{"object":"page","entry":[entries]}` (entries from edge::entry, keyed by Page id).
std::string envelope(const std::vector<std::string>& entries);
/// A whole body with one entry holding one text message from `user` to the Page.
std::string textWebhook(const std::string& user, const std::string& pageId, long long ts,
                        const std::string& mid, const std::string& text);

}  // namespace chathost::testing::page
