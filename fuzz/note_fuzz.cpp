// Signed notes, checkpoints, vkeys and cosignatures (kt/note.h, kt/checkpoint.h, kt/vkey.h,
// kt/cosignature.h) on hostile input. The first byte picks one of:
//  0: parse_note; what parses formats back to the same bytes, and is verified as a note and a
//     cosigned checkpoint (never crashing), its text parsed as a checkpoint body;
//  1: parse_checkpoint_body; what parses formats back to the same bytes;
//  2: parse_vkey; what parses formats back to the same bytes;
//  3: a log-signed and witness-cosigned checkpoint with the input XORed into its bytes; exact
//     oracle: both signatures verify if and only if no byte changed.
#include "fuzz_target.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "kt/checkpoint.h"
#include "kt/cosignature.h"
#include "kt/note.h"
#include "kt/note_ed25519.h"
#include "kt/vkey.h"

namespace {

using namespace bulwark;
using namespace bulwark::kt;

void check(bool condition) {
  if (!condition) std::abort();
}

crypto::Ed25519SecretKey key_from(std::byte fill) {
  auto key = crypto::Ed25519SecretKey::from_seed(Bytes(crypto::ed25519_seed_bytes, fill));
  check(key.has_value());
  return std::move(*key);
}

struct Fixture {
  crypto::Ed25519SecretKey witness_key = key_from(std::byte{0x22});
  NoteSigner log = *NoteSigner::create("fuzz.example/log", key_from(std::byte{0x11}));
  NoteVerifier log_verifier = *NoteVerifier::from_vkey(log.vkey());
  CosignerKey witness = *CosignerKey::create("fuzz.example/witness", witness_key.public_key());
  std::string signed_checkpoint;

  Fixture() {
    const Checkpoint checkpoint{"fuzz.example/log", 42, Hash{}, {"extension"}};
    const std::string body = checkpoint_body(checkpoint);
    signed_checkpoint = format_note(
        Note{body, {log.sign(body), cosign(witness_key, witness.name(), body, 1700000000)}});
  }
};

const Fixture& fixture() {
  static const Fixture instance;
  return instance;
}

void parse_any_note(std::string_view input) {
  auto note = parse_note(input);
  if (!note) return;
  check(format_note(*note) == input);
  static_cast<void>(fixture().log_verifier.verify(*note));
  static_cast<void>(verify_cosignature(fixture().witness, *note));
  for (const NoteSignature& signature : note->signatures) {
    static_cast<void>(verify_cosignature(fixture().witness, note->text, signature));
  }
  if (auto checkpoint = parse_checkpoint_body(note->text)) {
    check(checkpoint_body(*checkpoint) == note->text);
  }
}

void parse_any_checkpoint(std::string_view input) {
  if (auto checkpoint = parse_checkpoint_body(input)) check(checkpoint_body(*checkpoint) == input);
}

void parse_any_vkey(std::string_view input) {
  if (auto key = parse_vkey(input)) check(format_vkey(*key) == input);
  static_cast<void>(NoteVerifier::from_vkey(input));
  static_cast<void>(CosignerKey::from_vkey(input));
}

void mutate_signed_checkpoint(std::string_view input) {
  std::string encoded = fixture().signed_checkpoint;
  bool changed = false;
  for (std::size_t i = 0; i < input.size() && i < encoded.size(); ++i) {
    encoded[i] = static_cast<char>(encoded[i] ^ input[i]);
    changed = changed || input[i] != 0;
  }
  auto note = parse_note(encoded);
  if (!note) return;
  check(format_note(*note) == encoded);
  const bool verified = fixture().log_verifier.verify(*note).has_value() &&
                        verify_cosignature(fixture().witness, *note).has_value();
  check(verified == !changed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: parse_any_note(input); break;
    case 1: parse_any_checkpoint(input); break;
    case 2: parse_any_vkey(input); break;
    default: mutate_signed_checkpoint(input); break;
  }
  return 0;
}
