// Report categories and moderator actions (docs/MODERATION.md "Categories and actions"), with
// the names the API, the CLIs, the public report and the signed action bytes use. The numbers
// are stored and signed: never renumber one, only add.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bulwark::moderation {

enum class Category : std::uint8_t {
  violence = 1,
  drugs = 2,
  csam = 3,  // child sexual abuse material
  hate = 4,
  terrorism = 5,
  spam = 6,
  other = 7,
};

inline constexpr std::array<Category, 7> all_categories{
    Category::violence, Category::drugs,     Category::csam, Category::hate,
    Category::terrorism, Category::spam, Category::other};

// "violence", "drugs", "csam", "hate", "terrorism", "spam", "other".
[[nodiscard]] std::string_view category_name(Category category) noexcept;
// The name's category (exact, lower case); nullopt for anything else.
[[nodiscard]] std::optional<Category> category_from_name(std::string_view name) noexcept;
// The number's category; nullopt outside 1-7.
[[nodiscard]] std::optional<Category> category_from_number(std::uint32_t number) noexcept;

}  // namespace bulwark::moderation
