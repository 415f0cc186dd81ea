#include "protocol/mls/psk.h"

#include "protocol/mls/codec.h"

namespace bulwark::protocol::mls {

Result<SecretBytes> psk_secret(const CipherSuite& suite, std::span<const PskInput> psks) {
  if (psks.size() > max_psks) return fail(Errc::invalid_argument, "more than 65535 PSKs");
  const Bytes zero(CipherSuite::hash_size(), std::byte{0});
  SecretBytes secret = SecretBytes::copy_of(zero);
  const auto count = static_cast<std::uint16_t>(psks.size());
  for (std::uint16_t index = 0; index < count; ++index) {
    const PskInput& input = psks[index];
    // struct { PreSharedKeyID id; uint16 index; uint16 count; } PSKLabel;
    const Bytes label = BULWARK_TRY(encode_with([&](TlsWriter& writer) {
      writer.fixed(input.encoded_psk_id);
      writer.u16(index);
      writer.u16(count);
    }));
    const SecretBytes extracted = BULWARK_TRY(suite.kdf_extract(zero, input.psk.view()));
    const SecretBytes psk_input = BULWARK_TRY(
        suite.expand_with_label(extracted.view(), "derived psk", label, CipherSuite::hash_size()));
    secret = BULWARK_TRY(suite.kdf_extract(psk_input.view(), secret.view()));
  }
  return secret;
}

}  // namespace bulwark::protocol::mls
