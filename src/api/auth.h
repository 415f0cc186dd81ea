// The device-authentication message (api.proto, Authenticate), built the same way by client
// and server:
//   "bulwark-device-auth-v1" || nonce (32) || account id (16) || device id (4, big endian)
//   || TLS exporter (32, label "EXPORTER-bulwark-device-auth", no context)
// The exporter binds the signature to one TLS connection, the nonce to one challenge.
//
// On the plaintext benchmark listener (loopback only, opt-in) there is no exporter:
//   "bulwark-device-auth-plaintext-bench-v1" || nonce (32) || account id (16) || device id (4)
// The distinct context string domain-separates the two, so a signature captured on a
// plaintext connection can never authenticate a TLS connection, nor the reverse.
#pragma once

#include <cstdint>

#include "common/bytes.h"

namespace bulwark::api {

[[nodiscard]] Bytes device_auth_message(ByteView nonce, ByteView account_id,
                                        std::uint32_t device_id, ByteView tls_exporter);

[[nodiscard]] Bytes plaintext_device_auth_message(ByteView nonce, ByteView account_id,
                                                  std::uint32_t device_id);

}  // namespace bulwark::api
