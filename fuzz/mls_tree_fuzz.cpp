// The ratchet tree on untrusted input: a ratchet_tree (as a Welcome or an out-of-band copy
// brings it) and, after it, an UpdatePath (as a commit brings it). Any input must either be
// refused cleanly or give a tree whose wire form is the input, whose joiner checks run to an
// answer, and whose cached tree hashes equal hashes computed from scratch after edits.
#include <cstdint>
#include <cstdlib>

#include "fuzz_target.h"
#include "protocol/mls/messages/messages.h"
#include "protocol/mls/tree/parent_hash.h"
#include "protocol/mls/tree/public_tree.h"
#include "protocol/mls/tree/tree_validation.h"

namespace {

using bulwark::ByteView;
namespace mls = bulwark::protocol::mls;

// The edited tree's cached root hash must equal a freshly built copy's.
void require_fresh_hash(const mls::PublicTree& tree) {
  const auto fresh = mls::PublicTree::from_wire(tree.suite(), tree.to_wire());
  if (!fresh) std::abort();
  const auto want = fresh->root_hash();
  const auto got = tree.root_hash();
  if (!want || !got || *want != *got) std::abort();
}

void run_checks(mls::PublicTree tree) {
  const auto root = tree.root_hash();
  if (!root) std::abort();
  for (std::uint32_t i = 0; i < tree.node_width() && i < 4096; ++i) {
    (void)tree.resolution(mls::NodeIndex(i));
  }
  (void)mls::verify_parent_hashes(tree);
  mls::GroupContext context;
  context.cipher_suite = 1;
  context.tree_hash = *root;
  (void)mls::validate_tree(tree, context);
  const auto members = tree.members();
  if (members.size() >= 2 && tree.remove_leaf(members.back())) require_fresh_hash(tree);
}

void tree_then_path(const mls::CipherSuite& suite, ByteView input) {
  mls::TlsReader reader(input);
  auto wire = mls::decode_ratchet_tree(reader);
  if (!wire) return;
  auto path = mls::decode_update_path(reader);
  if (!path || !reader.expect_end()) return;
  auto tree = mls::PublicTree::from_wire(suite, *wire);
  if (!tree) return;
  const auto members = tree->members();
  if (tree->merge_update_path(members.front(), *path)) require_fresh_hash(*tree);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  const auto suite = mls::CipherSuite::from_id(1);
  if (!suite) std::abort();
  if (auto wire = mls::deserialize_ratchet_tree(input)) {
    if (auto tree = mls::PublicTree::from_wire(*suite, *wire)) {
      const auto again = mls::serialize(tree->to_wire());
      if (!again || *again != bulwark::to_bytes(input)) std::abort();
      run_checks(std::move(*tree));
    }
  }
  tree_then_path(*suite, input);
  return 0;
}
