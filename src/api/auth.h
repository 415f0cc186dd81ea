// The device-authentication message (api.proto, Authenticate), built the same way by client
// and server:
//   "bulwark-device-auth-v1" || nonce (32) || account id (16) || device id (4, big endian)
//   || TLS exporter (32, label "EXPORTER-bulwark-device-auth", no context)
// The exporter binds the signature to one TLS connection, the nonce to one challenge.
#pragma once

#include <cstdint>

#include "common/bytes.h"

namespace bulwark::api {

[[nodiscard]] Bytes device_auth_message(ByteView nonce, ByteView account_id,
                                        std::uint32_t device_id, ByteView tls_exporter);

}  // namespace bulwark::api
