// Welcome (RFC 9420 §12.4.3.1): a Commit's invitation to the members it adds. Each new
// member finds its EncryptedGroupSecrets by KeyPackageRef; the GroupInfo is encrypted under
// the welcome key. GroupSecrets, the plaintext of those secrets, is in group_secrets.h.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/group_secrets.h"

namespace bulwark::protocol::mls {

// struct {
//   KeyPackageRef new_member;
//   HPKECiphertext encrypted_group_secrets;
// } EncryptedGroupSecrets;
struct EncryptedGroupSecrets {
  KeyPackageRef new_member;
  HPKECiphertext encrypted_group_secrets;

  bool operator==(const EncryptedGroupSecrets&) const = default;
};

// struct {
//   CipherSuite cipher_suite;
//   EncryptedGroupSecrets secrets<V>;
//   opaque encrypted_group_info<V>;
// } Welcome;
struct Welcome {
  std::uint16_t cipher_suite = 0;
  std::vector<EncryptedGroupSecrets> secrets;
  Bytes encrypted_group_info;

  bool operator==(const Welcome&) const = default;
};

void encode(TlsWriter& w, const EncryptedGroupSecrets& v);
[[nodiscard]] Result<EncryptedGroupSecrets> decode_encrypted_group_secrets(TlsReader& r);
void encode(TlsWriter& w, const Welcome& v);
[[nodiscard]] Result<Welcome> decode_welcome(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const Welcome& v);
[[nodiscard]] Result<Welcome> deserialize_welcome(ByteView input);

}  // namespace bulwark::protocol::mls
