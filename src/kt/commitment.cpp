#include "kt/commitment.h"

#include "common/writer.h"
#include "crypto/mac.h"

namespace bulwark::kt {
namespace {

constexpr std::array<std::uint8_t, 16> commitment_key = {0xd8, 0x21, 0xf8, 0x79, 0x0d, 0x97,
                                                         0x70, 0x97, 0x96, 0xb4, 0xd7, 0x90,
                                                         0x33, 0x57, 0xc3, 0xf5};

Result<void> check_label(ByteView label) {
  if (label.size() > max_label_bytes) {
    return fail(Errc::invalid_argument, "kt label: longer than 255 bytes");
  }
  return {};
}

void write_label_version(Writer& writer, ByteView label, std::uint32_t version) {
  writer.u8(static_cast<std::uint8_t>(label.size()));
  writer.bytes(label);
  writer.u32_be(version);
}

}  // namespace

Result<Bytes> vrf_input(ByteView label, std::uint32_t version) {
  BULWARK_TRY(check_label(label));
  Writer writer(1 + max_label_bytes + 4);
  write_label_version(writer, label, version);
  return std::move(writer).finish();
}

Result<Hash> commitment(const Opening& opening, ByteView label, std::uint32_t version,
                        ByteView value) {
  BULWARK_TRY(check_label(label));
  if (value.size() > max_kt_value_bytes) {
    return fail(Errc::invalid_argument, "kt value: larger than the bound");
  }
  Writer writer(opening_bytes + 1 + max_label_bytes + 4 + 4 + max_kt_value_bytes);
  writer.bytes(view_of(opening));
  write_label_version(writer, label, version);
  writer.u32_be(static_cast<std::uint32_t>(value.size()));
  writer.bytes(value);
  const Bytes encoded = BULWARK_TRY(std::move(writer).finish());
  return crypto::hmac_sha256(ByteView(reinterpret_cast<const std::byte*>(commitment_key.data()),
                                      commitment_key.size()),
                             encoded);
}

}  // namespace bulwark::kt
