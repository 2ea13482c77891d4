// The host fakes stand in for real stores in many tests: check the behaviour those tests rely on.
#include "host_fakes.h"

#include <gtest/gtest.h>

using namespace chathost::host;
using namespace chathost::host::fakes;

TEST(HostFakes, ChatStoreEnforcesUniqueness) {
  FakeChatStore s;
  auto chat = s.ensureChat({"s", "a", "instagram", "u"}, 5);
  Message m;
  m.chatId = chat->chatId;
  m.localId = "l1";
  m.mid = "m1";
  EXPECT_TRUE(*s.addMessage(m));
  m.localId = "l2";
  EXPECT_FALSE(*s.addMessage(m));  // same mid
  m.mid = "";
  m.localId = "l1";
  EXPECT_FALSE(*s.addMessage(m));  // same localId
  EXPECT_EQ(s.ensureChat({"s", "a", "instagram", "u"}, 9)->chatId, chat->chatId);
}

TEST(HostFakes, InboxRunsConsumersUntilDone) {
  FakeInbox inbox;
  int calls = 0;
  inbox.setConsumer("c", [&](const InboxEvent& e) {
    ++calls;
    return e.attempts < 2 ? ProcessOutcome::retry(5, "again") : ProcessOutcome::done();
  });
  NewInboxEvent event;
  event.channel = "c";
  ASSERT_TRUE(inbox.append({event}).isOk());
  inbox.drain("c");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(inbox.pendingCount(), 0u);
}
