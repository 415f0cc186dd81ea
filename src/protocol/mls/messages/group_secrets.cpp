#include "protocol/mls/messages/group_secrets.h"

#include <algorithm>
#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::size_t psk_list_bytes = max_group_secrets_psks * 1024;

Result<SecretBytes> read_secret(TlsReader& r) {
  const ByteView secret = BULWARK_TRY(r.opaque(max_secret_bytes));
  return SecretBytes::copy_of(secret);
}

// Copies `parts` one after another into `out`, which has exactly their total size.
void fill(MutableByteView out, std::initializer_list<ByteView> parts) {
  std::size_t at = 0;
  for (const ByteView part : parts) {
    std::copy(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
    at += part.size();
  }
}

}  // namespace

Result<PathSecret> decode_path_secret(TlsReader& r) {
  SecretBytes secret = BULWARK_TRY(read_secret(r));
  return PathSecret{std::move(secret)};
}

Result<GroupSecrets> decode_group_secrets(TlsReader& r) {
  GroupSecrets out;
  out.joiner_secret = BULWARK_TRY(read_secret(r));
  const bool has_path_secret = BULWARK_TRY(r.present());
  if (has_path_secret) out.path_secret = BULWARK_TRY(decode_path_secret(r));
  out.psks = BULWARK_TRY(decode_list<PreSharedKeyID>(r, psk_list_bytes, max_group_secrets_psks,
                                                     decode_pre_shared_key_id));
  return out;
}

Result<SecretBytes> serialize(const GroupSecrets& v) {
  const ByteView joiner = v.joiner_secret.view();
  const ByteView path = v.path_secret ? v.path_secret->path_secret.view() : ByteView{};
  if (joiner.size() > max_secret_bytes || path.size() > max_secret_bytes) {
    return fail(Errc::invalid_argument, "a group secret is longer than any suite's hash");
  }
  // Everything but the secrets themselves is public and goes through TlsWriter: the length
  // prefixes, the presence byte and the PSK ids.
  const Bytes joiner_prefix =
      BULWARK_TRY(encode_with([&](TlsWriter& w) { w.varint(joiner.size()); }));
  const Bytes path_prefix = BULWARK_TRY(encode_with([&](TlsWriter& w) {
    w.present(v.path_secret.has_value());
    if (v.path_secret) w.varint(path.size());
  }));
  const Bytes psks = BULWARK_TRY(encode_with(
      [&](TlsWriter& w) { encode_list(w, v.psks, psk_list_bytes, max_group_secrets_psks); }));
  SecretBytes out(joiner_prefix.size() + joiner.size() + path_prefix.size() + path.size() +
                  psks.size());
  fill(out.writable(), {joiner_prefix, joiner, path_prefix, path, psks});
  return out;
}

Result<GroupSecrets> deserialize_group_secrets(ByteView input) {
  return decode_all(input, decode_group_secrets);
}

}  // namespace bulwark::protocol::mls
