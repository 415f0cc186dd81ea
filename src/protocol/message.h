// The two Signal session messages (libsignal rust/protocol/src/protocol.rs), byte for byte:
//
//   SignalMessage       = version || protobuf(wire.SignalMessage) || MAC[8]
//   PreKeySignalMessage = version || protobuf(wire.PreKeySignalMessage)
//   version             = (session version << 4) | 4           (0x44 for PQXDH sessions)
//   MAC = HMAC-SHA256(mac key, sender IK(33) || receiver IK(33) || version || protobuf)[0..8]
//
// Parsing checks everything that can be checked without keys: sizes, the version nibble,
// required fields, key encodings, and (v4) that the Kyber id and ciphertext are present.
// The MAC is checked by verify_mac() once the session has derived the message keys.
// Invariant: a parsed message keeps its exact serialisation, which is what the MAC covers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/result.h"
#include "protocol/keys.h"

namespace bulwark::protocol {

inline constexpr std::uint8_t session_version_pqxdh = 4;
inline constexpr std::uint8_t session_version_x3dh = 3;  // parsed, then refused: X3DH is dead
inline constexpr std::size_t message_mac_bytes = 8;
// A bound on what a parser accepts: far above a real message (a 64 KiB body is 1.8 KiB of
// prekey framing plus the body), far below anything that could exhaust memory.
inline constexpr std::size_t max_message_bytes = 256 * 1024;

class SignalMessage {
 public:
  struct Fields {
    std::uint8_t version = session_version_pqxdh;
    PublicKey ratchet_key;
    std::uint32_t counter = 0;
    std::uint32_t previous_counter = 0;
    Bytes ciphertext;
    Bytes pq_ratchet;  // empty: the field is left out (no SPQR)
  };

  // Serialises `fields` and appends the MAC computed with `mac_key`.
  [[nodiscard]] static SignalMessage create(Fields fields, ByteView mac_key,
                                            const IdentityKey& sender_identity,
                                            const IdentityKey& receiver_identity);
  [[nodiscard]] static Result<SignalMessage> parse(ByteView serialized);

  [[nodiscard]] const Fields& fields() const noexcept { return fields_; }
  [[nodiscard]] ByteView serialized() const noexcept { return serialized_; }
  // True when the MAC matches; constant time in the MAC.
  [[nodiscard]] bool verify_mac(ByteView mac_key, const IdentityKey& sender_identity,
                                const IdentityKey& receiver_identity) const;

 private:
  SignalMessage(Fields fields, Bytes serialized)
      : fields_(std::move(fields)), serialized_(std::move(serialized)) {}
  Fields fields_;
  Bytes serialized_;
};

class PreKeySignalMessage {
 public:
  struct Fields {
    std::uint8_t version = session_version_pqxdh;
    RegistrationId registration_id;
    std::optional<PreKeyId> pre_key_id;
    SignedPreKeyId signed_pre_key_id;
    KyberPreKeyId kyber_pre_key_id;
    Bytes kyber_ciphertext;  // 0x08 || ct, as it travels
    PublicKey base_key;
    IdentityKey identity_key;
  };

  [[nodiscard]] static PreKeySignalMessage create(Fields fields, SignalMessage message);
  [[nodiscard]] static Result<PreKeySignalMessage> parse(ByteView serialized);

  [[nodiscard]] const Fields& fields() const noexcept { return fields_; }
  [[nodiscard]] const SignalMessage& message() const noexcept { return message_; }
  [[nodiscard]] ByteView serialized() const noexcept { return serialized_; }

 private:
  PreKeySignalMessage(Fields fields, SignalMessage message, Bytes serialized)
      : fields_(std::move(fields)), message_(std::move(message)),
        serialized_(std::move(serialized)) {}
  Fields fields_;
  SignalMessage message_;
  Bytes serialized_;
};

}  // namespace bulwark::protocol
