// The Messenger channel against a scripted Graph API: what it says about itself, its webhook
// checks and parsing of Page payloads, sends and their classified failures, connecting a Page.

#include "test_support.h"

#include <chathost/meta/json_util.h>

using namespace chathost::messenger;
using namespace chathost::messenger::testing;
using chathost::sdk::ErrorCode;
using chathost::sdk::EventKind;
using chathost::sdk::Method;
using chathost::sdk::SendResult;

namespace {
const char* const kPageMe =
    R"({"id":"100200300","name":"Acme Bikes","metadata":{"type":"page","fields":[]}})";
const char* const kUserMe =
    R"({"id":"10158000000000001","name":"Ana Owner","metadata":{"type":"user"}})";

std::string member(const std::string& json, const std::string& name) {
  auto obj = chathost::meta::parseObject(json);
  return obj ? chathost::meta::getString(*obj, name).value_or("") : "";
}
}  // namespace

// --- describe ---------------------------------------------------------------------------------

TEST_F(ChannelTest, DescribesItselfCompletely) {
  settings.sendRatePerSecond = 40;
  auto d = channel().describe();
  EXPECT_EQ(d.name, "messenger");
  EXPECT_EQ(d.displayName, "Messenger");
  EXPECT_EQ(d.maxTextBytes, 2000u);
  EXPECT_EQ(d.sendRatePerSecond, 40);
  EXPECT_EQ(d.replyWindowMs, 24LL * 3600 * 1000);
  EXPECT_EQ(d.messageTags, std::vector<std::string>{"HUMAN_AGENT"});
  EXPECT_EQ(d.taggedWindowMs, 7LL * 24 * 3600 * 1000);
  EXPECT_TRUE(d.sendsAttachments);
  EXPECT_TRUE(d.sendsSenderActions);
  EXPECT_TRUE(d.fetchesProfiles);
  EXPECT_FALSE(d.oauthConnect);
  ASSERT_EQ(d.connectFields.size(), 4u);
  EXPECT_EQ(d.connectFields[0].name, "accessToken");
  EXPECT_TRUE(d.connectFields[0].required);
  EXPECT_TRUE(d.connectFields[0].secret);
  for (const auto& f : d.connectFields) EXPECT_FALSE(f.label.empty()) << f.name;
  for (std::size_t i = 1; i < d.connectFields.size(); ++i)
    EXPECT_FALSE(d.connectFields[i].required);
  EXPECT_EQ(d.configKeys.size(), settingsKeys().size());
  for (const auto& k : d.configKeys) EXPECT_FALSE(k.description.empty()) << k.name;
}

// --- webhooks ---------------------------------------------------------------------------------

TEST_F(ChannelTest, ChallengesAnswerTheAgentsTokenOrTheChannelsOne) {
  chathost::sdk::Request r;
  r.query = {{"hub.mode", "subscribe"}, {"hub.verify_token", "verify-me"}, {"hub.challenge", "9"}};
  auto c = connection();
  auto ok = channel().answerChallenge(r, &c);
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->body, "9");
  EXPECT_EQ(channel().answerChallenge(r, nullptr).status().code(), ErrorCode::kForbidden);
  r.query[1].second = "app-verify";
  EXPECT_TRUE(channel().answerChallenge(r, nullptr).isOk());
}

TEST_F(ChannelTest, SignaturesUseTheAgentsSecretElseTheAppSecretAndCountRefusals) {
  const std::string body = readCorpus("page_events.json");
  auto c = connection();
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, kAppSecret), &c).isOk());
  c.secrets["webhookSecret"] = "agent-secret";
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, "agent-secret"), &c).isOk());
  EXPECT_EQ(channel().verifyWebhook(signedPost(body, kAppSecret), &c).code(),
            ErrorCode::kForbidden);
  auto tampered = signedPost(body, kAppSecret);
  tampered.body += " ";
  EXPECT_EQ(channel().verifyWebhook(tampered, nullptr).code(), ErrorCode::kForbidden);
  EXPECT_EQ(ctx.metricsFake.counterValue("chathost_messenger_webhook_rejected_total"), 2);
}

TEST_F(ChannelTest, PagePayloadsBecomeNormalizedEvents) {
  auto parsed = channel().parseWebhook(readCorpus("page_events.json"));
  ASSERT_TRUE(parsed.isOk()) << parsed.status().message();
  const auto& e = parsed->events;
  ASSERT_EQ(e.size(), 9u);
  for (const auto& ev : e) EXPECT_EQ(ev.accountId, kPage);

  EXPECT_EQ(e[0].kind, EventKind::kMessage);
  EXPECT_EQ(e[0].userId, kUser);
  EXPECT_EQ(e[0].text, "Do you deliver on Sundays?");
  EXPECT_EQ(e[0].dedupKey, "mid:m_AbC1");
  EXPECT_NE(e[0].metaJson.find("\"quick_reply\":{\"payload\":\"DELIVERY\"}"), std::string::npos);
  EXPECT_NE(e[1].attachmentsJson.find("\"url\":\"https://scontent.xx.fbcdn.net/v/photo.jpg\""),
            std::string::npos);
  // The Page's own message: the customer is its recipient.
  EXPECT_EQ(e[2].kind, EventKind::kEcho);
  EXPECT_EQ(e[2].userId, kUser);
  EXPECT_EQ(e[2].senderId, kPage);
  EXPECT_NE(e[2].metaJson.find("\"app_id\":\"263902037430900\""), std::string::npos);
  EXPECT_EQ(e[3].kind, EventKind::kPostback);
  EXPECT_EQ(e[3].text, "Get Started");
  EXPECT_EQ(e[4].kind, EventKind::kReaction);
  EXPECT_EQ(e[4].mid, "m_AbC3");
  EXPECT_EQ(e[4].reaction, "love");
  // Messenger reads name no message: the watermark is kept for the record.
  EXPECT_EQ(e[5].kind, EventKind::kRead);
  EXPECT_EQ(e[5].mid, "");
  EXPECT_EQ(e[5].metaJson, R"({"read":{"watermark":1718000203000}})");
  EXPECT_EQ(e[6].kind, EventKind::kReferral);
  EXPECT_NE(e[6].metaJson.find("summer_sale"), std::string::npos);
  EXPECT_NE(e[7].metaJson.find("\"reply_to\":{\"mid\":\"m_AbC3\"}"), std::string::npos);
  EXPECT_TRUE(e[8].standby);
}

TEST_F(ChannelTest, AnInstagramBodyIsNotAPageBody) {
  auto r = channel().parseWebhook(R"({"object":"instagram","entry":[]})");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
}

// --- send -------------------------------------------------------------------------------------

TEST_F(ChannelTest, SendsTextsTaggedRepliesMediaAndActionsToThePage) {
  answer(Method::kPost, std::string(kPage) + "/messages", 200,
         R"({"recipient_id":"6600000000000001","message_id":"m_sent_1"})");
  auto text = channel().send(connection(), textTo(kUser, "Hello"));
  ASSERT_EQ(text.kind, SendResult::Kind::kSent) << text.error;
  EXPECT_EQ(text.messageId, "m_sent_1");
  auto tagged = textTo(kUser, "A person here");
  tagged.tag = "HUMAN_AGENT";
  EXPECT_EQ(channel().send(connection(), tagged).kind, SendResult::Kind::kSent);
  auto image = textTo(kUser, "");
  image.attachment = chathost::sdk::OutboundAttachment{"image", "https://cdn.test/a.png"};
  EXPECT_EQ(channel().send(connection(), image).kind, SendResult::Kind::kSent);
  auto typing = textTo(kUser, "");
  typing.action = chathost::sdk::SenderAction::kTypingOn;
  EXPECT_EQ(channel().send(connection(), typing).kind, SendResult::Kind::kSent);

  auto sent = requests();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_NE(sent[0].url.find("/v21.0/100200300/messages?appsecret_proof="), std::string::npos);
  EXPECT_EQ(sent[0].body, R"({"recipient":{"id":"6600000000000001"},"message":{"text":"Hello"},)"
                          R"("messaging_type":"RESPONSE"})");
  EXPECT_NE(sent[1].body.find(R"("messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT")"),
            std::string::npos);
  EXPECT_NE(sent[2].body.find(R"("attachment":{"type":"image")"), std::string::npos);
  EXPECT_NE(sent[3].body.find(R"("sender_action":"typing_on")"), std::string::npos);
  EXPECT_EQ(ctx.metricsFake.counterValue("chathost_messenger_sends_total", {{"result", "ok"}}), 3);
  EXPECT_EQ(
      ctx.metricsFake.counterValue("chathost_messenger_sender_actions_total", {{"result", "ok"}}),
      1);
}

TEST_F(ChannelTest, SendFailuresAreClassifiedAsTheHostNeedsThem) {
  struct Case {
    const char* body;
    SendResult::Kind kind;
  };
  const Case cases[] = {
      {R"({"error":{"message":"Session expired","code":190,"error_subcode":463}})",
       SendResult::Kind::kReauth},
      {R"({"error":{"message":"Too many calls","code":613}})", SendResult::Kind::kThrottled},
      {R"({"error":{"message":"outside of allowed window","code":10,"error_subcode":2018278}})",
       SendResult::Kind::kOutsideWindow},
      {R"({"error":{"message":"This person isn't available right now.","code":551}})",
       SendResult::Kind::kPermanent},
      {R"({"error":{"message":"An unexpected error","code":2}})", SendResult::Kind::kRetry},
  };
  for (const auto& c : cases) answer(Method::kPost, std::string(kPage) + "/messages", 400, c.body);
  for (const auto& c : cases) {
    auto r = channel().send(connection(), textTo(kUser, "x"));
    EXPECT_EQ(r.kind, c.kind) << c.body;
    EXPECT_NE(r.errorMetaJson.find("\"graphError\""), std::string::npos) << c.body;
  }
  EXPECT_EQ(ctx.metricsFake.counterValue("chathost_messenger_sends_total", {{"result", "error"}}),
            5);
}

TEST_F(ChannelTest, TheWindowIsExplainedForMessenger) {
  answer(Method::kPost, std::string(kPage) + "/messages", 400,
         R"({"error":{"message":"outside of allowed window","code":10,"error_subcode":2018278}})");
  auto r = channel().send(connection(), textTo(kUser, "late"));
  EXPECT_NE(r.error.find("Messenger accepts messages only within 24 hours"), std::string::npos)
      << r.error;
}

TEST_F(ChannelTest, UnsendableMessagesNeverReachTheGraphApi) {
  auto noToken = connection();
  noToken.secrets.clear();
  EXPECT_EQ(channel().send(noToken, textTo(kUser, "x")).kind, SendResult::Kind::kReauth);
  auto badTag = textTo(kUser, "x");
  badTag.tag = "ACCOUNT_UPDATE";
  EXPECT_EQ(channel().send(connection(), badTag).kind, SendResult::Kind::kPermanent);
  EXPECT_TRUE(requests().empty());
}

// --- connect / disconnect / profiles ----------------------------------------------------------

TEST_F(ChannelTest, ConnectVerifiesThePageSubscribesItAndAnswersWithTheMeLink) {
  answer(Method::kGet, "me", 200, kPageMe);
  answer(Method::kGet, std::string(kPage) + "/subscribed_apps", 200, R"({"data":[]})");
  answer(Method::kPost, std::string(kPage) + "/subscribed_apps", 200, R"({"success":true})");
  auto r = channel().connect(agent, R"({"accessToken":"EAAG-page-token","webhookSecret":"s"})");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const auto& c = r->connection;
  EXPECT_EQ(c.accountId, kPage);
  EXPECT_EQ(c.pageId, kPage);
  EXPECT_EQ(c.username, "Acme Bikes");
  EXPECT_EQ(c.secrets.at("accessToken"), kToken);
  EXPECT_EQ(c.secrets.at("webhookSecret"), "s");
  EXPECT_EQ(c.secrets.count("verifyToken"), 0u);
  EXPECT_EQ(member(c.settingsJson, "name"), "Acme Bikes");
  EXPECT_EQ(member(r->dataJson, "qrCode"), "https://m.me/100200300");
  EXPECT_EQ(member(r->dataJson, "messengerUrl"), "https://m.me/100200300");
  EXPECT_EQ(member(r->dataJson, "pageUrl"), "https://www.facebook.com/100200300");
  EXPECT_EQ(member(r->dataJson, "qrCodeDataUrl").rfind("data:image/png;base64,", 0), 0u);
  EXPECT_FALSE(r->message.empty());

  auto calls = requests();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_NE(calls[0].url.find("/me?fields=id,name&metadata=1&appsecret_proof="), std::string::npos);
  EXPECT_EQ(calls[1].method, Method::kGet);  // what the Page is subscribed to already
  EXPECT_NE(calls[2].url.find("subscribed_fields=messages,messaging_postbacks,message_reads,"
                              "message_reactions,messaging_referrals"),
            std::string::npos)
      << calls[2].url;
}

TEST_F(ChannelTest, ConnectKeepsTheFieldsInstagramSubscribedThePageTo) {
  settings.appId = "263902037430900";
  answer(Method::kGet, "me", 200, kPageMe);
  answer(Method::kGet, std::string(kPage) + "/subscribed_apps", 200,
         R"({"data":[{"id":"111","name":"Other app","subscribed_fields":["feed"]},
                     {"id":"263902037430900","name":"chathost",
                      "subscribed_fields":["messages","messaging_seen","message_reactions"]}]})");
  answer(Method::kPost, std::string(kPage) + "/subscribed_apps", 200, R"({"success":true})");
  ASSERT_TRUE(channel().connect(agent, R"({"accessToken":"EAAG-page-token"})").isOk());
  const auto post = requests().back();
  EXPECT_EQ(post.method, Method::kPost);
  EXPECT_NE(post.url.find("subscribed_fields=messages,messaging_seen,message_reactions,"
                          "messaging_postbacks,message_reads,messaging_referrals&"),
            std::string::npos)
      << post.url;
}

TEST_F(ChannelTest, AConnectWhoseSubscriptionCannotBeReadFailsAndPostsNothing) {
  answer(Method::kGet, "me", 200, kPageMe);
  answer(Method::kGet, std::string(kPage) + "/subscribed_apps", 403,
         R"({"error":{"message":"(#200) Requires pages_manage_metadata","code":200}})");
  auto r = channel().connect(agent, R"({"accessToken":"EAAG-page-token"})");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::kApiError);
  EXPECT_NE(r.status().message().find("subscribe the app"), std::string::npos);
  EXPECT_NE(r.status().metaJson().find("\"code\":200"), std::string::npos);
  for (const auto& call : requests()) EXPECT_NE(call.method, Method::kPost);
}

TEST_F(ChannelTest, AUserTokenOrAnotherPagesTokenIsRefusedBeforeAnySubscription) {
  answer(Method::kGet, "me", 200, kUserMe);
  answer(Method::kGet, "me", 200, kPageMe);
  auto user = channel().connect(agent, R"({"accessToken":"EAAG-user-token"})");
  ASSERT_FALSE(user.isOk());
  EXPECT_EQ(user.status().code(), ErrorCode::kValidation);
  EXPECT_NE(user.status().message().find("not a Page access token"), std::string::npos);
  auto other = channel().connect(agent, R"({"accessToken":"EAAG-page-token","pageId":"999"})");
  ASSERT_FALSE(other.isOk());
  EXPECT_EQ(other.status().code(), ErrorCode::kValidation);
  EXPECT_NE(other.status().message().find("not to pageId 999"), std::string::npos);
  EXPECT_TRUE(ctx.httpFake.requestsTo("subscribed_apps").empty());
}

TEST_F(ChannelTest, GraphRefusalsWhileConnectingAreContractErrorsWithoutSecrets) {
  answer(Method::kGet, "me", 400,
         R"({"error":{"message":"Invalid OAuth access token","code":190}})");
  auto bad = channel().connect(agent, R"({"accessToken":"EAAG-revoked"})");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(bad.status().message().rfind("Messenger authentication failed", 0), 0u);
  EXPECT_NE(bad.status().metaJson().find("\"code\":190"), std::string::npos);
  EXPECT_FALSE(ctx.log.mentions("EAAG-revoked"));

  ctx.httpFake.clear();
  answer(Method::kGet, "me", 200, kPageMe);
  answer(Method::kGet, std::string(kPage) + "/subscribed_apps", 200, R"({"data":[]})");
  answer(Method::kPost, std::string(kPage) + "/subscribed_apps", 400,
         R"({"error":{"message":"needs pages_manage_metadata","code":200}})");
  auto unsubscribed = channel().connect(agent, R"({"accessToken":"EAAG-page-token"})");
  ASSERT_FALSE(unsubscribed.isOk());
  EXPECT_EQ(unsubscribed.status().code(), ErrorCode::kApiError);
  EXPECT_NE(unsubscribed.status().message().find("subscribe the app"), std::string::npos);

  for (const char* body : {"[]", "{}", R"({"accessToken":5})", R"({"accessToken":""})",
                           R"({"accessToken":"t","pageId":"a/b"})"}) {
    auto r = channel().connect(agent, body);
    EXPECT_EQ(r.status().code(), ErrorCode::kValidation) << body;
  }
}

TEST_F(ChannelTest, DisconnectEndsThePagesSubscription) {
  answer(Method::kDelete, std::string(kPage) + "/subscribed_apps", 200, R"({"success":true})");
  EXPECT_TRUE(channel().disconnect(connection()).isOk());
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(requests()[0].method, Method::kDelete);
  auto noToken = connection();
  noToken.secrets.clear();
  EXPECT_TRUE(channel().disconnect(noToken).isOk());
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(ChannelTest, ProfilesAskForNameAndPictureOnly) {
  answer(Method::kGet, kUser, 200, R"({"name":"Ana B","profile_pic":"https://p","id":"1"})");
  auto p = channel().fetchProfile(connection(), kUser);
  ASSERT_TRUE(p.isOk());
  ASSERT_TRUE(*p);
  EXPECT_EQ((*p)->name, "Ana B");
  EXPECT_EQ((*p)->username, "");
  EXPECT_NE(requests()[0].url.find("fields=name,profile_pic"), std::string::npos);
  EXPECT_EQ(channel().fetchProfile(connection(), "../me").status().code(), ErrorCode::kValidation);
}
