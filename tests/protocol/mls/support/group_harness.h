// A small world of MLS clients for the group scenario tests: each client has a signature key
// and a KeyPackage, and, once in the group, its own Group state. The harness delivers each
// commit to every other member (and its Welcome to the added ones) and checks that all
// members agree on the epoch, its authenticator, an exported secret and the roster.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/mls/group/group.h"
#include "protocol/mls/key_package.h"
#include "support/seeded_rng.h"

namespace bulwark::protocol::mls::harness {

inline CipherSuite suite_of(std::uint16_t id) { return *CipherSuite::from_id(id); }

inline Bytes name_bytes(const std::string& name) {
  const ByteView view = as_bytes(name);
  return Bytes(view.begin(), view.end());
}

struct Client {
  std::string name;
  crypto::Ed25519SecretKey signer;
  std::optional<KeyPackageBundle> key_package;  // fresh until used
  std::optional<Group> group;
};

class World {
 public:
  explicit World(std::uint16_t suite, std::uint64_t seed = 7)
      : suite_(suite_of(suite)), rng_(seed) {}

  testing::SeededRng& rng() { return rng_; }
  const CipherSuite& suite() const { return suite_; }
  Client& client(const std::string& name) { return clients_.at(name); }
  Group& group(const std::string& name) { return *clients_.at(name).group; }

  Client& add_client(const std::string& name) {
    crypto::Ed25519KeyPair keys = crypto::ed25519_keypair(rng_);
    Client client{name, std::move(keys.secret_key), std::nullopt, std::nullopt};
    refresh_key_package(client);
    return clients_.emplace(name, std::move(client)).first->second;
  }

  void refresh_key_package(Client& client) {
    KeyPackageParams params;
    params.credential = basic_credential(name_bytes(client.name));
    auto bundle = create_key_package(suite_, client.signer, std::move(params), rng_);
    ASSERT_TRUE(bundle) << bundle.error().describe();
    client.key_package = std::move(*bundle);
  }

  void create(const std::string& name, GroupConfig config = {}) {
    Client& client = clients_.at(name);
    Member me{*crypto::Ed25519SecretKey::from_seed(client.signer.seed().view()),
              basic_credential(name_bytes(name))};
    auto group = Group::create(suite_, name_bytes("group-of-" + name), me, rng_, std::move(config));
    ASSERT_TRUE(group) << group.error().describe();
    client.group = std::move(*group);
  }

  std::vector<std::string> members() const {
    std::vector<std::string> out;
    for (const auto& [name, client] : clients_) {
      if (client.group) out.push_back(name);
    }
    return out;
  }

  LeafIndex leaf_of(const std::string& name) { return group(name).own_leaf(); }

  // `committer` commits `request`; every other member processes the commit (a removed one
  // drops its state); added clients join from the Welcome (with the tree in it, or out of
  // band when the request leaves it out).
  std::optional<Group::CommitOutput> commit(const std::string& committer, CommitRequest request,
                                            const std::vector<std::string>& joiners = {}) {
    auto output = group(committer).commit(request, rng_);
    EXPECT_TRUE(output) << committer << " commit: " << output.error().describe();
    if (!output) return std::nullopt;
    for (const std::string& name : members()) {
      if (name == committer) continue;
      auto processed = group(name).process(output->commit);
      EXPECT_TRUE(processed) << name << " processing " << committer
                             << "'s commit: " << processed.error().describe();
      if (!processed) continue;
      if (processed->removed_me) {
        EXPECT_FALSE(processed->group);
        client(name).group.reset();
      } else {
        client(name).group = std::move(*processed->group);
      }
    }
    client(committer).group = output->group;
    for (const std::string& name : joiners) join(name, *output, request.ratchet_tree_in_welcome);
    return std::move(*output);
  }

  void join(const std::string& name, const Group::CommitOutput& output, bool tree_in_welcome) {
    Client& joiner = client(name);
    ASSERT_TRUE(output.welcome);
    std::optional<ByteView> tree;
    if (!tree_in_welcome) tree = ByteView(output.ratchet_tree);
    auto joined =
        Group::join(*output.welcome, tree, std::span(&*joiner.key_package, 1), joiner.signer, {});
    ASSERT_TRUE(joined) << name << " join: " << joined.error().describe();
    joiner.group = std::move(*joined);
    refresh_key_package(joiner);
  }

  // Commits adding `names` (each with its current KeyPackage).
  void add(const std::string& committer, const std::vector<std::string>& names,
           bool tree_in_welcome = true) {
    CommitRequest request;
    for (const std::string& name : names)
      request.add.push_back(client(name).key_package->key_package);
    request.ratchet_tree_in_welcome = tree_in_welcome;
    commit(committer, std::move(request), names);
  }

  void remove(const std::string& committer, const std::vector<std::string>& names) {
    CommitRequest request;
    for (const std::string& name : names) request.remove.push_back(leaf_of(name));
    commit(committer, std::move(request));
  }

  // Sends a proposal from `sender` to every other member.
  void deliver_proposal(const std::string& sender, const Group::Sent& sent) {
    client(sender).group = sent.group;
    for (const std::string& name : members()) {
      if (name == sender) continue;
      auto processed = group(name).process(sent.message);
      ASSERT_TRUE(processed) << name << " processing " << sender
                             << "'s proposal: " << processed.error().describe();
      client(name).group = std::move(*processed->group);
    }
  }

  // Every member sends one message, which every other member decrypts.
  void exchange_messages() {
    for (const std::string& sender : members()) {
      const std::string text = "hello from " + sender;
      auto sent = group(sender).encrypt(as_bytes(text), as_bytes("ad"), rng_);
      ASSERT_TRUE(sent) << sender << " encrypt: " << sent.error().describe();
      client(sender).group = std::move(sent->group);
      for (const std::string& name : members()) {
        if (name == sender) continue;
        auto processed = group(name).process(sent->message);
        ASSERT_TRUE(processed) << name << " decrypting " << sender << ": "
                               << processed.error().describe();
        EXPECT_EQ(processed->kind, ContentKind::application);
        EXPECT_EQ(processed->application_data, name_bytes(text));
        EXPECT_EQ(processed->sender_credential.identity, name_bytes(sender));
        client(name).group = std::move(*processed->group);
      }
    }
  }

  // All members agree on the epoch, its authenticator, an exported secret and the roster,
  // and the roster is exactly the members' names.
  void expect_agreement() {
    const std::vector<std::string> names = members();
    ASSERT_FALSE(names.empty());
    const Group& first = group(names.front());
    const auto exported = first.export_secret("test", {}, 32);
    ASSERT_TRUE(exported);
    std::vector<Bytes> roster;
    for (const MemberInfo& info : first.members()) roster.push_back(info.credential.identity);
    std::vector<Bytes> expected;
    for (const std::string& name : names) expected.push_back(name_bytes(name));
    std::sort(roster.begin(), roster.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(roster, expected);
    for (const std::string& name : names) {
      const Group& other = group(name);
      EXPECT_EQ(other.epoch(), first.epoch()) << name;
      EXPECT_EQ(to_bytes(other.epoch_authenticator().view()),
                to_bytes(first.epoch_authenticator().view()))
          << name;
      const auto mine = other.export_secret("test", {}, 32);
      ASSERT_TRUE(mine);
      EXPECT_EQ(to_bytes(mine->view()), to_bytes(exported->view())) << name;
      EXPECT_EQ(other.members().size(), first.members().size()) << name;
      const auto self = other.member(other.own_leaf());
      ASSERT_TRUE(self);
      EXPECT_EQ(self->credential.identity, name_bytes(name));
    }
  }

 private:
  CipherSuite suite_;
  testing::SeededRng rng_;
  std::map<std::string, Client> clients_;
};

}  // namespace bulwark::protocol::mls::harness
