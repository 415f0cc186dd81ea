// KT search proofs and audit entries (kt/wire.h, kt/search.h, kt/audit.h) on hostile input:
//  0: decode a search proof and verify it against a real directory's checkpoint: no crash,
//     and whatever decodes encodes back to the same bytes (the format is canonical);
//  1: decode an audit entry and apply it to an auditor: no crash, same round trip;
//  2: XOR the input into a valid encoded search proof: exact oracle, accepted if and only if
//     no byte changed;
//  3: decode an account record: no crash, the same round trip, signature checked.
#include "fuzz_target.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "kt/account_record.h"
#include "kt/directory.h"
#include "kt/wire.h"

namespace {

using namespace bulwark;

class FixedRng final : public Rng {
 public:
  void fill(MutableByteView out) override { std::fill(out.begin(), out.end(), std::byte{7}); }
};

struct World {
  kt::Directory directory{crypto::VrfSecretKey::from_seed(Bytes(32, std::byte{9})).value()};
  kt::Checkpoint checkpoint;
  Bytes valid_proof;

  World() {
    FixedRng rng;
    for (int v = 0; v < 6; ++v) {
      (void)directory.update(as_bytes("alice"), as_bytes("value " + std::to_string(v)), rng);
      (void)directory.update(as_bytes("user" + std::to_string(v)), as_bytes("x"), rng);
      (void)directory.publish(1000 + static_cast<std::uint64_t>(v));
    }
    directory.serve_up_to(directory.size());
    checkpoint = kt::Checkpoint{"fuzz/kt", directory.size(), directory.log().root(), {}};
    valid_proof = kt::encode_search_proof(directory.search(as_bytes("alice"), 3).value()).value();
  }

  [[nodiscard]] bool accepts(const kt::SearchProof& proof) const {
    return kt::verify_search(directory.vrf_public_key(), as_bytes("alice"), checkpoint,
                             kt::LogView{3, directory.log().root(3)}, proof)
        .has_value();
  }
};

const World& world() {
  static const World w;
  return w;
}

void decode_and_verify(ByteView input) {
  const auto proof = kt::decode_search_proof(input);
  if (!proof) return;
  if (kt::encode_search_proof(*proof).value() != to_bytes(input)) std::abort();
  (void)world().accepts(*proof);
}

void decode_and_audit(ByteView input) {
  const auto entry = kt::decode_audit_entry(input);
  if (!entry) return;
  if (kt::encode_audit_entry(*entry).value() != to_bytes(input)) std::abort();
  kt::Auditor auditor;
  (void)auditor.apply(*entry);
  (void)auditor.apply(*entry);  // the same leaves again: always refused unless empty
}

void mutated(ByteView input) {
  Bytes proof = world().valid_proof;
  bool changed = false;
  for (std::size_t i = 0; i < input.size() && i < proof.size(); ++i) {
    proof[i] ^= input[i];
    changed = changed || input[i] != std::byte{0};
  }
  const auto decoded = kt::decode_search_proof(proof);
  const bool accepted = decoded && world().accepts(*decoded);
  if (accepted == changed) std::abort();
}

void decode_record(ByteView input) {
  const auto record = kt::decode_account_record(input);
  if (!record) return;
  if (kt::encode_account_record(*record) != to_bytes(input)) std::abort();
  (void)kt::verify_account_record(*record);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: decode_and_verify(input); break;
    case 1: decode_and_audit(input); break;
    case 2: mutated(input); break;
    default: decode_record(input); break;
  }
  return 0;
}
