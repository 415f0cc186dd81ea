#include "api/auth.h"

#include "api/limits.h"

namespace bulwark::api {

namespace {

Bytes auth_message(std::string_view context_string, ByteView nonce, ByteView account_id,
                   std::uint32_t device_id, ByteView tls_exporter) {
  ByteView context = as_bytes(context_string);
  Bytes message;
  message.reserve(context.size() + nonce.size() + account_id.size() + 4 + tls_exporter.size());
  message.insert(message.end(), context.begin(), context.end());
  message.insert(message.end(), nonce.begin(), nonce.end());
  message.insert(message.end(), account_id.begin(), account_id.end());
  for (int shift = 24; shift >= 0; shift -= 8)
    message.push_back(static_cast<std::byte>((device_id >> shift) & 0xff));
  message.insert(message.end(), tls_exporter.begin(), tls_exporter.end());
  return message;
}

}  // namespace

Bytes device_auth_message(ByteView nonce, ByteView account_id, std::uint32_t device_id,
                          ByteView tls_exporter) {
  return auth_message(auth_signature_context, nonce, account_id, device_id, tls_exporter);
}

Bytes plaintext_device_auth_message(ByteView nonce, ByteView account_id,
                                    std::uint32_t device_id) {
  return auth_message(plaintext_auth_signature_context, nonce, account_id, device_id, {});
}

}  // namespace bulwark::api
