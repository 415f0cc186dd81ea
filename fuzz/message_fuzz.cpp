// Decoders for what arrives from the network in a 1:1 session: SignalMessage,
// PreKeySignalMessage, the SPQR field, base64 (the interop and client transports), and the
// scannable safety number (scanned from a QR code).
//
// Oracles: a parsed message keeps its exact bytes; an accepted prekey message has an inner
// message of the same version; the SPQR field is either
// accepted without a key or refused as invalid_message; base64 that decodes re-encodes to
// the same text.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/base64.h"
#include "protocol/fingerprint.h"
#include "protocol/message.h"
#include "protocol/ratchet/pq_ratchet.h"

namespace {

using namespace bulwark;

void must(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);

  if (auto message = protocol::SignalMessage::parse(input)) {
    must(to_bytes(message->serialized()) == to_bytes(input));
    must(message->fields().version == protocol::session_version_pqxdh);
  }
  if (auto prekey = protocol::PreKeySignalMessage::parse(input)) {
    must(to_bytes(prekey->serialized()) == to_bytes(input));
    must(prekey->message().fields().version == prekey->fields().version);
  }

  auto pq = protocol::ratchet::PqRatchet::start(SecretBytes(32), protocol::ratchet::PqRole::responder);
  auto key = pq.key_for_incoming(input);
  must(key ? key->empty() : key.error().code == Errc::invalid_message);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto decoded = crypto::base64_decode(text)) must(crypto::base64_encode(*decoded) == text);

  static const Bytes own_scannable = [] {
    auto key_bytes = from_hex("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
    auto identity = protocol::PublicKey::deserialize(*key_bytes).value();
    return protocol::compute_fingerprint(2, 2, {as_bytes("a"), identity}, {as_bytes("b"), identity})
        ->scannable;
  }();
  (void)protocol::scannable_fingerprints_match(own_scannable, input);
  return 0;
}
