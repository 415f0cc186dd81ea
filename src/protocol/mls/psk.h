// The pre-shared-key secret that enters the key schedule (RFC 9420 §8.4).
//
// Each PSK is injected in order: psk_extracted = Extract(0, psk), psk_input =
// ExpandWithLabel(psk_extracted, "derived psk", PSKLabel{id, index, count}, Nh), and the chain
// psk_secret_[i] = Extract(psk_input_[i-1], psk_secret_[i-1]) starts from Nh zero bytes, which
// is also the result for an empty list. The PreSharedKeyID is taken already encoded, so this
// layer needs no message structs; the caller encodes it exactly as it appears in the
// PreSharedKey proposal.
#pragma once

#include <cstddef>
#include <span>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/mls/cipher_suite.h"

namespace bulwark::protocol::mls {

// PSKLabel.count is a uint16.
inline constexpr std::size_t max_psks = 0xffff;

struct PskInput {
  Bytes encoded_psk_id;  // the whole TLS-encoded PreSharedKeyID (type, id fields, nonce)
  SecretBytes psk;
};

// Errc::invalid_argument for more than max_psks entries.
[[nodiscard]] Result<SecretBytes> psk_secret(const CipherSuite& suite,
                                             std::span<const PskInput> psks);

}  // namespace bulwark::protocol::mls
