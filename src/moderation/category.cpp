#include "moderation/category.h"

namespace bulwark::moderation {

std::string_view category_name(Category category) noexcept {
  switch (category) {
    case Category::violence: return "violence";
    case Category::drugs: return "drugs";
    case Category::csam: return "csam";
    case Category::hate: return "hate";
    case Category::terrorism: return "terrorism";
    case Category::spam: return "spam";
    case Category::other: return "other";
  }
  return "other";
}

std::optional<Category> category_from_name(std::string_view name) noexcept {
  for (Category category : all_categories)
    if (category_name(category) == name) return category;
  return std::nullopt;
}

std::optional<Category> category_from_number(std::uint32_t number) noexcept {
  if (number < 1 || number > all_categories.size()) return std::nullopt;
  return static_cast<Category>(number);
}

}  // namespace bulwark::moderation
