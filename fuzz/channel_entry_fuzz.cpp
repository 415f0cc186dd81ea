// Channel entries and view sketches (channel/entry.h, channel/admin_set.h,
// channel/view_sketch.h) on hostile input: every entry the server and clients receive passes
// through decode_entry first. The first byte picks one of:
//  0: decode_entry; what decodes encodes back to the same bytes, its signature check and an
//     authority built from it (when it is a CREATE) never crash;
//  1: a genuine signed post with the input XORed into its bytes; exact oracle: it decodes and
//     verifies if and only if no byte changed (a changed byte may still decode, never verify);
//  2: ViewSketch::from_bytes; what parses round-trips and estimates without crashing;
//  3: canonical_handle; what it accepts is valid and canonical.
#include "fuzz_target.h"

#include <cstdlib>
#include <string>

#include "channel/admin_set.h"
#include "channel/entry.h"
#include "channel/handle.h"
#include "channel/view_sketch.h"

namespace {

using namespace bulwark;

void check(bool condition) {
  if (!condition) std::abort();
}

const crypto::Ed25519SecretKey& channel_key() {
  static const crypto::Ed25519SecretKey key =
      crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x24})).value();
  return key;
}

Bytes genuine_post() {
  const crypto::Ed25519PublicKey public_key = channel_key().public_key();
  channel::Entry entry;
  entry.channel = channel::channel_id_for_key(public_key.bytes());
  entry.seq = 7;
  entry.time_ms = 1'800'000'000'000;
  entry.kind = channel::EntryKind::post;
  entry.text = "what the court asked for, and our answer";
  if (!channel::sign_with_channel_key(entry, channel_key())) std::abort();
  return channel::encode_entry(entry).value();
}

void decode(ByteView input) {
  auto entry = channel::decode_entry(input);
  if (!entry) return;
  auto encoded = channel::encode_entry(*entry);
  check(encoded.has_value() && *encoded == Bytes(input.begin(), input.end()));
  (void)channel::verify_signature(*entry);
  if (entry->kind == channel::EntryKind::create) {
    if (auto authority = channel::Authority::from_create(*entry)) (void)authority->verify(*entry);
  }
}

void tamper(ByteView input) {
  static const Bytes post = genuine_post();
  Bytes bytes = post;
  bool changed = false;
  for (std::size_t i = 0; i < input.size() && i < bytes.size(); ++i) {
    bytes[i] ^= input[i];
    changed = changed || input[i] != std::byte{0};
  }
  auto entry = channel::decode_entry(bytes);
  const bool verifies = entry && channel::verify_signature(*entry).has_value();
  check(verifies == !changed);
}

void sketch(ByteView input) {
  auto parsed = channel::ViewSketch::from_bytes(input);
  if (!parsed) return;
  check(Bytes(parsed->bytes().begin(), parsed->bytes().end()) == Bytes(input.begin(), input.end()));
  (void)parsed->estimate();
  (void)parsed->add(0x0123456789abcdefULL);
}

void handle(ByteView input) {
  const std::string text(reinterpret_cast<const char*>(input.data()), input.size());
  auto canonical = channel::canonical_handle(text);
  if (!canonical) return;
  check(channel::is_valid_handle(*canonical));
  check(channel::canonical_handle(*canonical).value() == *canonical);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: decode(input); break;
    case 1: tamper(input); break;
    case 2: sketch(input); break;
    default: handle(input); break;
  }
  return 0;
}
