// Categories and actions (moderation/category.h, moderation/action.h).
#include "moderation/category.h"

#include <gtest/gtest.h>

#include "moderation/action.h"

namespace bulwark::moderation {
namespace {

TEST(ModerationCategoryTest, EveryCategoryRoundTripsThroughItsNameAndNumber) {
  for (Category category : all_categories) {
    EXPECT_EQ(category_from_name(category_name(category)), category);
    EXPECT_EQ(category_from_number(static_cast<std::uint32_t>(category)), category);
  }
  EXPECT_EQ(category_name(Category::csam), "csam");
}

TEST(ModerationCategoryTest, UnknownNamesAndNumbersAreRefused) {
  EXPECT_FALSE(category_from_name("Violence"));
  EXPECT_FALSE(category_from_name(""));
  EXPECT_FALSE(category_from_name("gore"));
  EXPECT_FALSE(category_from_number(0));
  EXPECT_FALSE(category_from_number(8));
}

TEST(ModerationActionTest, EveryActionRoundTripsAndOnlyRestrictingOnesRestrict) {
  for (Action action : all_actions) {
    EXPECT_EQ(action_from_name(action_name(action)), action);
    EXPECT_EQ(action_from_number(static_cast<std::uint32_t>(action)), action);
  }
  EXPECT_FALSE(action_from_name("remove_post"));
  EXPECT_FALSE(action_from_number(0));
  EXPECT_FALSE(action_from_number(6));
  EXPECT_TRUE(restricts(Action::remove_post));
  EXPECT_TRUE(restricts(Action::suspend_account));
  EXPECT_FALSE(restricts(Action::dismiss));
  EXPECT_FALSE(restricts(Action::reinstate));
}

}  // namespace
}  // namespace bulwark::moderation
