// The MLS message decoders: any input read as an MLSMessage, a ratchet tree, GroupSecrets,
// SenderData or a PrivateMessageContent (of each content type) must either fail cleanly or
// decode to a value whose encoding is exactly the input (one encoding per value; the encoder
// accepts everything the decoder produces).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

#include "fuzz_target.h"
#include "protocol/mls/messages/messages.h"

namespace {

using bulwark::Bytes;
using bulwark::ByteView;
namespace mls = bulwark::protocol::mls;

bool same(ByteView a, ByteView b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

// If `decoded` holds a value, its serialization must reproduce `input`.
template <class Decoded>
void require_exact(ByteView input, const Decoded& decoded) {
  if (!decoded) return;
  const auto encoded = mls::serialize(*decoded);
  if (!encoded) std::abort();
  if constexpr (std::is_same_v<std::decay_t<decltype(*encoded)>, bulwark::SecretBytes>) {
    if (!same(encoded->view(), input)) std::abort();
  } else {
    if (!same(*encoded, input)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  require_exact(input, mls::deserialize_mls_message(input));
  require_exact(input, mls::deserialize_ratchet_tree(input));
  require_exact(input, mls::deserialize_group_secrets(input));
  require_exact(input, mls::deserialize_sender_data(input));
  for (const auto type :
       {mls::ContentType::application, mls::ContentType::proposal, mls::ContentType::commit}) {
    require_exact(input, mls::deserialize_private_message_content(input, type));
  }
  return 0;
}
