#include "crypto/base64.h"

#include <sodium.h>

#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

std::string base64_encode(ByteView bytes) {
  detail::sodium_ready();
  const std::size_t length =
      sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(length, '\0');
  sodium_bin2base64(out.data(), length, detail::uc_nonnull(bytes), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(length - 1);  // the encoder writes a terminating NUL
  return out;
}

Result<Bytes> base64_decode(std::string_view text) {
  detail::sodium_ready();
  // libsodium 1.0.18 reads bytes >= 0x80 as valid digits (found by fuzz/message_fuzz), so the
  // alphabet is checked here, and the result must re-encode to the input (canonical form).
  for (char c : text) {
    const bool digit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    if (!digit) return fail(Errc::invalid_encoding, "not standard base64");
  }
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return fail(Errc::invalid_encoding, "not standard base64");
  out.resize(length);
  if (base64_encode(out) != text) return fail(Errc::invalid_encoding, "not canonical base64");
  return out;
}

}  // namespace bulwark::crypto
