// Strong id types: an id is never a bare integer, so a device id cannot be passed where a
// prekey id is expected (mlspp LeafIndex, TDLib UserId).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace bulwark {

template <class Tag, class Rep>
class StrongId {
 public:
  using rep = Rep;
  constexpr StrongId() noexcept = default;
  constexpr explicit StrongId(Rep value) noexcept : value_(value) {}
  [[nodiscard]] constexpr Rep value() const noexcept { return value_; }
  friend constexpr auto operator<=>(const StrongId&, const StrongId&) = default;
  [[nodiscard]] std::string to_string() const { return std::to_string(value_); }

 private:
  Rep value_{};
};

using DeviceId = StrongId<struct DeviceIdTag, std::uint32_t>;
using RegistrationId = StrongId<struct RegistrationIdTag, std::uint32_t>;
using PreKeyId = StrongId<struct PreKeyIdTag, std::uint32_t>;
using SignedPreKeyId = StrongId<struct SignedPreKeyIdTag, std::uint32_t>;
using KyberPreKeyId = StrongId<struct KyberPreKeyIdTag, std::uint32_t>;

}  // namespace bulwark

template <class Tag, class Rep>
struct std::hash<bulwark::StrongId<Tag, Rep>> {
  std::size_t operator()(const bulwark::StrongId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
