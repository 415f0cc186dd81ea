// Franking reports and stamps (franking/report.h, franking/stamp.h) on hostile input: a report
// is what a recipient uploads, and the server decodes and verifies it before anything else.
// The first byte picks one of:
//  0: decode_report; what decodes encodes back to the same bytes, and verifying it under the
//     fixed stamping keys never crashes;
//  1: a genuine two-message report with the input XORed into its bytes; oracle: unchanged it
//     verifies, and with any byte changed outside the stamps' batch proofs (depth, index, path,
//     signature - the recipient's check, not the server's) it does not;
//  2: decode_stamp; what decodes encodes back to the same bytes.
#include "fuzz_target.h"

#include <cstdlib>
#include <vector>

#include "crypto/ed25519.h"
#include "franking/report.h"

namespace {

using namespace bulwark;
using namespace bulwark::franking;

void check(bool condition) {
  if (!condition) std::abort();
}

const Bytes& reporter() {
  static const Bytes account(16, std::byte{0x41});
  return account;
}

const StampingKeys& keys() {
  static const StampingKeys stamping = [] {
    StampingKeys made(crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x51})).value());
    if (!made.add_epoch(1, SecretBytes::copy_of(Bytes(32, std::byte{0x52})))) std::abort();
    return made;
  }();
  return stamping;
}

ReportedMessage message(const std::string& text, std::uint8_t key_fill, const FrankingTag& previous) {
  ReportedMessage out;
  out.sender = Bytes(16, std::byte{0x4d});
  out.conversation = Bytes(32, std::byte{0x43});
  out.message_id = to_bytes(as_bytes(text.substr(0, 8)));
  out.content = to_bytes(as_bytes(text));
  out.key.fill(std::byte{key_fill});
  out.previous = previous;
  out.tag = franking_tag(out.key, Franked{out.sender, out.conversation, out.message_id,
                                          out.content, out.previous})
                .value();
  out.stamp = keys().stamp(out.tag, out.sender, reporter(), 1'800'000'000'000).value();
  return out;
}

Report genuine() {
  Report report;
  report.messages.push_back(message("context before", 1, FrankingTag{}));
  report.messages.push_back(message("the reported threat", 2, report.messages[0].tag));
  return report;
}

// For each byte of the encoded genuine report: whether it belongs to a stamp's batch proof.
std::vector<bool> proof_bytes(const Report& report) {
  std::vector<bool> proof(2, false);  // version, count
  for (const ReportedMessage& m : report.messages) {
    const std::size_t fixed = 3 + m.sender.size() + m.conversation.size() + m.message_id.size() +
                              4 + m.content.size() + key_bytes + 2 * tag_bytes;
    proof.insert(proof.end(), fixed + stamp_proof_offset, false);
    proof.insert(proof.end(), encode_stamp(m.stamp).size() - stamp_proof_offset, true);
  }
  return proof;
}

void decode(ByteView input) {
  auto report = decode_report(input);
  if (!report) return;
  auto encoded = encode_report(*report);
  check(encoded.has_value() && *encoded == Bytes(input.begin(), input.end()));
  (void)verify_report(keys(), reporter(), *report);
}

void tamper(ByteView input) {
  static const Report report = genuine();
  static const Bytes original = encode_report(report).value();
  static const std::vector<bool> proof = proof_bytes(report);
  check(proof.size() == original.size());
  Bytes bytes = original;
  bool changed = false;
  bool changed_outside_proofs = false;
  for (std::size_t i = 0; i < input.size() && i < bytes.size(); ++i) {
    if (input[i] == std::byte{0}) continue;
    bytes[i] ^= input[i];
    changed = true;
    changed_outside_proofs = changed_outside_proofs || !proof[i];
  }
  auto decoded = decode_report(bytes);
  const bool verifies = decoded && verify_report(keys(), reporter(), *decoded).has_value();
  if (!changed) check(verifies);
  if (changed_outside_proofs) check(!verifies);
}

void stamp(ByteView input) {
  auto decoded = decode_stamp(input);
  if (!decoded) return;
  check(encode_stamp(*decoded) == Bytes(input.begin(), input.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: decode(input); break;
    case 1: tamper(input); break;
    default: stamp(input); break;
  }
  return 0;
}
