// The disclosure log's public formats on hostile input: anyone may feed an auditor or a
// witness log entries, and a release package reaches whoever the authority shows it to. The
// first byte picks one of:
//  0: decode_log_entry; what decodes encodes back to exactly the same bytes;
//  1: verify_release on the rest as a release file, under a fixed log key nobody else holds:
//     nothing may verify;
//  2: audit_disclosure_log with the rest split into entries by a length byte, against a
//     checkpoint of a fixed one-entry log: only that log may pass.
#include <cstdlib>
#include <string_view>
#include <vector>

#include "fuzz_target.h"
#include "kt/checkpoint.h"
#include "kt/note.h"
#include "lawful/log_audit.h"
#include "lawful/release.h"

namespace {

using namespace bulwark;

void check(bool condition) {
  if (!condition) std::abort();
}

constexpr std::string_view origin = "fuzz.example/disclosure";

const crypto::Ed25519SecretKey& log_key() {
  static const auto key = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x5a})).value();
  return key;
}

kt::CheckpointPolicy policy() {
  return kt::CheckpointPolicy{
      std::string(origin),
      kt::NoteVerifier::create(std::string(origin), log_key().public_key()).value(),
      {},
      0};
}

// The checkpoint of a log whose one entry is the byte 0x01.
const std::string& one_entry_checkpoint() {
  static const std::string note = [] {
    const Bytes entry{std::byte{1}};
    const std::string body =
        kt::checkpoint_body(kt::Checkpoint{std::string(origin), 1, kt::leaf_hash(entry), {}});
    auto signer = kt::NoteSigner::create(
        std::string(origin),
        crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x5a})).value());
    return kt::format_note(kt::Note{body, {signer->sign(body)}});
  }();
  return note;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView rest(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto entry = lawful::decode_log_entry(rest);
      if (entry) {
        auto again = lawful::encode_log_entry(*entry);
        check(again && Bytes(rest.begin(), rest.end()) == *again);
      }
      break;
    }
    case 1: {
      const std::string_view file(reinterpret_cast<const char*>(rest.data()), rest.size());
      check(!lawful::verify_release(file, policy()));
      break;
    }
    default: {
      std::vector<Bytes> entries;
      for (std::size_t at = 0; at < rest.size();) {
        const std::size_t length =
            std::min<std::size_t>(std::to_integer<std::size_t>(rest[at]), rest.size() - at - 1);
        entries.emplace_back(rest.begin() + static_cast<std::ptrdiff_t>(at + 1),
                             rest.begin() + static_cast<std::ptrdiff_t>(at + 1 + length));
        at += 1 + length;
      }
      auto audited =
          lawful::audit_disclosure_log(policy(), one_entry_checkpoint(), entries, std::nullopt);
      // The fixed log's one entry does not decode as an entry, so nothing passes.
      check(!audited);
      break;
    }
  }
  return 0;
}
