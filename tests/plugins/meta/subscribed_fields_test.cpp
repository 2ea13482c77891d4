// A subscription keeps the fields the app already has on a node: which listed app is this one,
// and the union posted back.
#include <chathost/meta/subscribed_fields.h>

#include <gtest/gtest.h>

using namespace chathost::meta;

namespace {
using Fields = std::vector<std::string>;

constexpr const char* kTwoApps =
    R"({"data":[{"id":"111","name":"Other CRM","subscribed_fields":["feed"]},
                {"id":"222","name":"chathost","subscribed_fields":["messages","messaging_seen"]}]})";

Fields fieldsOf(const std::string& answer, const std::string& appId) {
  auto r = appSubscribedFields(answer, appId);
  EXPECT_TRUE(r.ok()) << r.error.message;
  return r.ok() ? *r.value : Fields{"<error>"};
}
}  // namespace

TEST(AppSubscribedFields, AKnownAppIdPicksItsOwnEntryAmongSeveral) {
  EXPECT_EQ(fieldsOf(kTwoApps, "222"), (Fields{"messages", "messaging_seen"}));
  EXPECT_EQ(fieldsOf(kTwoApps, "111"), Fields{"feed"});
  EXPECT_EQ(fieldsOf(kTwoApps, "333"), Fields{});  // not subscribed: nothing to keep
  // Ids may come as numbers.
  EXPECT_EQ(fieldsOf(R"({"data":[{"id":222,"subscribed_fields":["messages"]}]})", "222"),
            Fields{"messages"});
}

TEST(AppSubscribedFields, WithoutAnAppIdOnlyALoneEntryCountsAsThisApps) {
  EXPECT_EQ(fieldsOf(R"({"data":[{"id":"9","name":"x","subscribed_fields":["messages"]}]})", ""),
            Fields{"messages"});
  EXPECT_EQ(fieldsOf(kTwoApps, ""), Fields{});  // two apps cannot be told apart
  EXPECT_EQ(fieldsOf(R"({"data":[]})", ""), Fields{});
  // A known app id that is not listed is not replaced by the lone entry.
  EXPECT_EQ(fieldsOf(R"({"data":[{"id":"9","subscribed_fields":["feed"]}]})", "222"), Fields{});
}

TEST(AppSubscribedFields, OddEntriesAndNamesAreSkipped) {
  EXPECT_EQ(fieldsOf(R"({"data":[{"id":"222","subscribed_fields":["messages",5,null,"standby"]}]})",
                     "222"),
            (Fields{"messages", "standby"}));
  EXPECT_EQ(fieldsOf(R"({"data":[{"id":"222"}]})", "222"), Fields{});
  EXPECT_EQ(fieldsOf(R"({"data":["222",{"id":"222","subscribed_fields":["messages"]}]})", "222"),
            Fields{"messages"});
}

TEST(AppSubscribedFields, AnAnswerWithoutADataArrayIsARetryableFault) {
  for (const char* bad : {"{}", R"({"data":{}})", "[]", "not json"}) {
    auto r = appSubscribedFields(bad, "222");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error.httpStatus, 502) << bad;
    EXPECT_NE(r.error.message.find("subscribed apps"), std::string::npos);
  }
}

TEST(FieldUnion, KeepsTheExistingOrderThenAddsTheNewNamesOnce) {
  EXPECT_EQ(fieldUnion({"messages", "messaging_seen", "message_reactions"},
                       "messages,message_reads,message_reactions,messaging_referrals"),
            "messages,messaging_seen,message_reactions,message_reads,messaging_referrals");
  EXPECT_EQ(fieldUnion({}, "messages,messaging_postbacks"), "messages,messaging_postbacks");
  EXPECT_EQ(fieldUnion({"feed"}, ""), "feed");
  EXPECT_EQ(fieldUnion({"a", "a", ""}, "b,,a,b"), "a,b");
  EXPECT_EQ(fieldUnion({}, ""), "");
}
