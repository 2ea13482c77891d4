#include "storage/json_object.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(JsonObjectTest, MergeAddsAndReplacesMembers) {
  auto merged = mergeJsonObjects(R"({"a":1,"b":"x"})", R"({"b":"y","c":[1,2]})");
  ASSERT_TRUE(merged.isOk()) << merged.status().message();
  auto back = mergeJsonObjects(*merged, "{}");
  ASSERT_TRUE(back.isOk());
  EXPECT_NE(merged->find(R"("a":1)"), std::string::npos);
  EXPECT_NE(merged->find(R"("b":"y")"), std::string::npos);
  EXPECT_NE(merged->find(R"("c":[1,2])"), std::string::npos);
  EXPECT_EQ(merged->find(R"("b":"x")"), std::string::npos);
}

TEST(JsonObjectTest, MergeRejectsNonObjectPatch) {
  EXPECT_EQ(mergeJsonObjects("{}", "[1]").status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(mergeJsonObjects("{}", "{not json").status().code(), sdk::ErrorCode::kValidation);
}

TEST(JsonObjectTest, MergeIntoEmptyBase) {
  auto merged = mergeJsonObjects("", R"({"k":true})");
  ASSERT_TRUE(merged.isOk());
  EXPECT_EQ(*merged, R"({"k":true})");
}

TEST(JsonObjectTest, StringMapRoundTrips) {
  std::map<std::string, std::string> m{{"token", "v1:abc\"q"}, {"other", ""}};
  auto back = decodeStringMap(encodeStringMap(m));
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(*back, m);
}

TEST(JsonObjectTest, DecodeRejectsNonStringMembers) {
  EXPECT_FALSE(decodeStringMap(R"({"a":1})").isOk());
  EXPECT_FALSE(decodeStringMap("[]").isOk());
  EXPECT_FALSE(decodeStringMap("{").isOk());
}

}  // namespace
}  // namespace chathost::host
