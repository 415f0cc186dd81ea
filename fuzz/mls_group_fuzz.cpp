// The MLS group state machine on untrusted input: arbitrary bytes against a fixed
// three-client group must be refused cleanly or processed, never crash. The first byte picks
// how the rest is used:
//   0: an MLSMessage that bob's Group processes (commit, proposal, application, anything);
//   1: a Welcome that carol joins with, the group's real ratchet tree given out of band;
//   2: a ratchet tree given out of band with carol's real Welcome (tree validation);
//   3: a Commit body, framed, signed by alice and tagged with the epoch's membership key,
//      that bob processes: proposal resolution, list rules, tree edits and path handling
//      run on fuzzed commits (only the confirmation tag is then wrong);
//   4: a serialized group state (Group::deserialize).
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "counter_rng.h"
#include "fuzz_target.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/key_package.h"
#include "protocol/mls/messages/messages.h"

namespace {

using bulwark::Bytes;
using bulwark::ByteView;
namespace crypto = bulwark::crypto;
namespace mls = bulwark::protocol::mls;

using bulwark::fuzz::CounterRng;

Bytes fuzz_name(const char* text) {
  const ByteView view = bulwark::as_bytes(text);
  return Bytes(view.begin(), view.end());
}

struct FuzzWorld {
  CounterRng rng;
  mls::CipherSuite suite = *mls::CipherSuite::from_id(1);
  crypto::Ed25519KeyPair alice_key = crypto::ed25519_keypair(rng);
  crypto::Ed25519KeyPair bob_key = crypto::ed25519_keypair(rng);
  crypto::Ed25519KeyPair carol_key = crypto::ed25519_keypair(rng);
  mls::KeyPackageBundle bob_package = bundle(bob_key, "bob");
  mls::KeyPackageBundle carol_package = bundle(carol_key, "carol");
  std::optional<mls::Group> alice;
  std::optional<mls::Group> bob;
  Bytes carol_welcome;
  Bytes carol_tree;

  mls::KeyPackageBundle bundle(const crypto::Ed25519KeyPair& key, const char* name) {
    return std::move(*mls::create_key_package(
        suite, key.secret_key, mls::KeyPackageParams{mls::basic_credential(fuzz_name(name))}, rng));
  }

  FuzzWorld() {
    const mls::Member me{*crypto::Ed25519SecretKey::from_seed(alice_key.secret_key.seed().view()),
                         mls::basic_credential(fuzz_name("alice"))};
    const mls::Group created = *mls::Group::create(suite, fuzz_name("fuzz-group"), me, rng);
    mls::CommitRequest add_bob;
    add_bob.add.push_back(bob_package.key_package);
    add_bob.wire_format = mls::WireFormat::mls_public_message;
    auto first = *created.commit(add_bob, rng);
    alice = first.group;
    bob = *mls::Group::join(*first.welcome, std::nullopt, std::span(&bob_package, 1),
                            bob_key.secret_key, {});
    mls::CommitRequest add_carol;
    add_carol.add.push_back(carol_package.key_package);
    add_carol.ratchet_tree_in_welcome = false;
    auto second = *alice->commit(add_carol, rng);
    carol_welcome = *second.welcome;
    carol_tree = second.ratchet_tree;
  }
};

FuzzWorld& world() {
  static FuzzWorld instance;
  return instance;
}

void join_carol(FuzzWorld& w, ByteView welcome, ByteView tree) {
  (void)mls::Group::join(welcome, tree, std::span(&w.carol_package, 1), w.carol_key.secret_key, {});
}

// A fuzzed Commit as alice would send it in the epoch bob is in.
void as_commit(FuzzWorld& w, ByteView input) {
  auto commit = mls::deserialize_commit(input);
  if (!commit) return;
  const mls::GroupState& alice = w.alice->state();
  mls::FramedContent content{alice.context.group_id,
                             alice.context.epoch,
                             mls::member_sender(alice.own_leaf().value()),
                             {},
                             std::move(*commit)};
  auto signed_content =
      mls::sign_content(alice.suite, alice.signer, mls::WireFormat::mls_public_message,
                        std::move(content), &alice.context);
  if (!signed_content) return;
  signed_content->auth.confirmation_tag = Bytes(32, std::byte{9});
  auto message = mls::protect_public(alice.suite, *signed_content,
                                     alice.secrets.membership_key.view(), alice.context);
  if (!message) return;
  auto wire = mls::serialize(mls::MLSMessage{mls::ProtocolVersion::mls10, std::move(*message)});
  if (wire) (void)w.bob->process(*wire);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  FuzzWorld& w = world();
  switch (data[0] % 5) {
    case 0:
      (void)w.bob->process(input);
      break;
    case 1:
      join_carol(w, input, w.carol_tree);
      break;
    case 2:
      join_carol(w, w.carol_welcome, input);
      break;
    case 3:
      as_commit(w, input);
      break;
    default:
      (void)mls::Group::deserialize(input);
      break;
  }
  return 0;
}
