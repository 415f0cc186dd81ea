#include "witness/state_file.h"

#include <string>

#include "witness/detail/file_io.h"

namespace bulwark::witness {

std::filesystem::path state_file_path(const std::filesystem::path& state_dir) {
  return state_dir / "state";
}

Result<std::optional<WitnessState>> load_state(const std::filesystem::path& state_dir) {
  const auto path = state_file_path(state_dir);
  auto contents = detail::read_small_file(path, state_max_bytes, false);
  if (!contents && contents.error().code == Errc::not_found) return std::nullopt;
  if (!contents) return tl::unexpected(contents.error());
  const auto bytes = contents->view();
  auto state = parse_witness_state(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (!state) return fail(state.error().code, path.string() + ": " + state.error().context);
  return std::optional<WitnessState>(std::move(*state));
}

Result<void> save_state(const std::filesystem::path& state_dir, const WitnessState& state) {
  BULWARK_TRY(detail::ensure_private_dir(state_dir));
  const std::string text = encode_witness_state(state);
  return detail::replace_file_atomically(state_file_path(state_dir), as_bytes(text));
}

}  // namespace bulwark::witness
