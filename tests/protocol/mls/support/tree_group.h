// A test harness for the ratchet tree: real, signed leaves and a small "group" that grows by
// Add commits with UpdatePaths, so that trees have valid parent hashes, unmerged leaves and
// blanks, and every member's TreeKEM state is followed (and checked) through each commit.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "protocol/mls/tree/public_tree.h"
#include "protocol/mls/tree/treekem.h"
#include "support/seeded_rng.h"

namespace bulwark::protocol::mls::tree_group {

inline CipherSuite suite_one() { return *CipherSuite::from_id(1); }

// Signs `leaf` over LeafNodeTBS (the group id and index count for update and commit leaves).
inline void resign(LeafNode& leaf, const crypto::Ed25519SecretKey& signer, ByteView group_id,
                   LeafIndex index) {
  const auto tbs = leaf_node_tbs(leaf, group_id, index.value());
  ASSERT_TRUE(tbs);
  leaf.signature = suite_one().sign_with_label(signer, "LeafNodeTBS", *tbs).value();
}

struct Member {
  crypto::Ed25519SecretKey signer;
  crypto::X25519SecretKey encryption;
  LeafNode leaf;  // as in its KeyPackage
};

inline Member make_member(Rng& rng, const std::string& identity) {
  auto signing = crypto::ed25519_keypair(rng);
  auto encryption = crypto::x25519_keypair(rng);
  LeafNode leaf;
  leaf.encryption_key = to_bytes(encryption.public_key.bytes());
  leaf.signature_key = to_bytes(signing.public_key.bytes());
  leaf.credential = basic_credential(to_bytes(as_bytes(identity)));
  leaf.capabilities.versions = {ProtocolVersion::mls10};
  leaf.capabilities.cipher_suites = {1, 3};
  leaf.capabilities.credentials = {CredentialType::basic};
  leaf.leaf_node_source = LeafNodeSource::key_package;
  leaf.lifetime = Lifetime{1000, 2000};
  Member out{std::move(signing.secret_key), std::move(encryption.secret_key), std::move(leaf)};
  resign(out.leaf, out.signer, {}, LeafIndex(0));
  return out;
}

struct Seat {
  crypto::Ed25519SecretKey signer;
  TreeKemPrivate state;
};

class Group {
 public:
  explicit Group(std::uint64_t seed) : rng_(seed) {
    Member creator = make_member(rng_, "member 0");
    tree_.emplace(PublicTree::create(suite_one(), creator.leaf).value());
    seats_.emplace_back(Seat{std::move(creator.signer),
                             TreeKemPrivate(LeafIndex(0), std::move(creator.encryption))});
  }

  [[nodiscard]] const PublicTree& tree() const { return *tree_; }
  [[nodiscard]] const Bytes& group_id() const { return group_id_; }
  [[nodiscard]] const std::optional<Seat>& seat(LeafIndex leaf) const {
    return seats_.at(leaf.value());
  }
  [[nodiscard]] std::uint64_t epoch() const { return epoch_; }
  bulwark::testing::SeededRng& rng() { return rng_; }

  [[nodiscard]] GroupContext context() const {
    GroupContext out;
    out.cipher_suite = 1;
    out.group_id = group_id_;
    out.epoch = epoch_;
    out.tree_hash = tree_->root_hash().value();
    return out;
  }

  // `committer` adds `count` members and commits with an UpdatePath.
  void add(LeafIndex committer, int count) { commit(committer, add_members(count)); }

  // `count` members are added by a commit without a path (allowed for Add-only commits):
  // they stay unmerged in their non-blank ancestors.
  void add_without_path(int count) {
    ++epoch_;
    add_members(count);
  }

 private:
  std::vector<LeafIndex> add_members(int count) {
    std::vector<LeafIndex> joiners;
    std::vector<Member> fresh;
    for (int i = 0; i < count; ++i) {
      fresh.push_back(make_member(rng_, "member " + std::to_string(next_name_++)));
      joiners.push_back(tree_->add_leaf(fresh.back().leaf).value());
    }
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      const std::size_t at = joiners[i].value();
      if (seats_.size() <= at) seats_.resize(at + 1);
      seats_[at].emplace(Seat{std::move(fresh[i].signer),
                              TreeKemPrivate(joiners[i], std::move(fresh[i].encryption))});
    }
    return joiners;
  }

 public:
  // `member` is removed by `committer`, who commits with an UpdatePath.
  void remove(LeafIndex committer, LeafIndex member) {
    ASSERT_TRUE(tree_->remove_leaf(member));
    seats_.at(member.value()).reset();
    for (auto& seat : seats_) {
      if (seat) seat->state.prune(*tree_);
    }
    commit(committer, {});
  }

  // `committer` commits the current tree with an UpdatePath; every other member processes it
  // (and the joiners join from the Welcome's path secret). Expects all to agree.
  void commit(LeafIndex committer, const std::vector<LeafIndex>& joiners) {
    ++epoch_;
    Seat& from = *seats_.at(committer.value());
    const PublicTree before = *tree_;
    const auto made =
        from.state.encap(*tree_, *before.leaf(committer), from.signer, context(), joiners, rng_);
    ASSERT_TRUE(made) << made.error().describe();
    PublicTree merged = before;
    ASSERT_TRUE(merged.merge_update_path(committer, made->path));
    ASSERT_EQ(merged.root_hash().value(), tree_->root_hash().value());
    for (std::size_t i = 0; i < seats_.size(); ++i) {
      const LeafIndex leaf(static_cast<std::uint32_t>(i));
      if (!seats_[i] || leaf == committer) continue;
      auto& state = seats_[i]->state;
      if (std::find(joiners.begin(), joiners.end(), leaf) != joiners.end()) {
        const auto node = common_ancestor(to_node(leaf), to_node(committer), tree_->leaf_count());
        ASSERT_TRUE(state.join(*tree_, committer, made->path_secret_at(*node)->view()));
        continue;
      }
      const auto got = state.decap(merged, committer, made->path, made->group_context, joiners);
      ASSERT_TRUE(got) << "leaf " << i << ": " << got.error().describe();
      ASSERT_EQ(to_bytes(got->commit_secret.view()), to_bytes(made->commit_secret.view()));
    }
    for (const auto& seat : seats_) {
      if (!seat) continue;
      ASSERT_TRUE(seat->state.check_consistent(*tree_));
    }
  }

 private:
  bulwark::testing::SeededRng rng_;
  Bytes group_id_ = Bytes(16, std::byte{0x42});
  std::uint64_t epoch_ = 0;
  int next_name_ = 1;
  std::optional<PublicTree> tree_;
  std::vector<std::optional<Seat>> seats_;
};

}  // namespace bulwark::protocol::mls::tree_group
