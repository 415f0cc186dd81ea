// Every encoded structure in the other official vector files round-trips too.
//
// messages.json is narrow (one-leaf trees, basic credentials, key_package leaves, member
// senders only). The tree, TreeKEM, protection, welcome and passive-client vectors carry
// real groups: parent and blank nodes, commit- and update-source leaves, proposals by value
// and by reference, PrivateMessages. The codec does not depend on the cipher suite, so all
// seven suites' cases are run here.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/mls/messages/messages.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

struct CorpusTally {
  std::size_t checked = 0;
  std::size_t parent_nodes = 0;
  std::size_t blank_nodes = 0;
  std::size_t commit_leaves = 0;
  std::size_t private_messages = 0;
  std::size_t proposals_by_value = 0;
};

nlohmann::json corpus_load(std::string_view file) {
  return bulwark::testing::load_json(
      bulwark::testing::shared_vector_path("mls/" + std::string(file)));
}

Bytes corpus_hex(const nlohmann::json& value) {
  return bulwark::testing::hex(value.get<std::string>());
}

void corpus_tree(const nlohmann::json& value, CorpusTally& tally, const std::string& where) {
  if (value.is_null()) return;
  const Bytes input = corpus_hex(value);
  const auto tree = deserialize_ratchet_tree(input);
  ASSERT_TRUE(tree) << where << ": " << tree.error().describe();
  const auto encoded = serialize(*tree);
  ASSERT_TRUE(encoded) << where;
  EXPECT_EQ(*encoded, input) << where;
  for (const auto& node : tree->nodes) {
    if (!node) {
      ++tally.blank_nodes;
    } else if (const auto* leaf = std::get_if<LeafNode>(&node->body)) {
      tally.commit_leaves += leaf->leaf_node_source == LeafNodeSource::commit ? 1 : 0;
    } else {
      ++tally.parent_nodes;
    }
  }
  ++tally.checked;
}

void corpus_message(const nlohmann::json& value, CorpusTally& tally, const std::string& where) {
  const Bytes input = corpus_hex(value);
  const auto message = deserialize_mls_message(input);
  ASSERT_TRUE(message) << where << ": " << message.error().describe();
  const auto encoded = serialize(*message);
  ASSERT_TRUE(encoded) << where;
  EXPECT_EQ(*encoded, input) << where;
  if (wire_format(*message) == WireFormat::mls_private_message) ++tally.private_messages;
  if (const auto* pub = std::get_if<PublicMessage>(&message->body)) {
    if (const auto* commit = std::get_if<Commit>(&pub->content.content)) {
      for (const auto& item : commit->proposals) {
        tally.proposals_by_value += std::holds_alternative<Proposal>(item.body) ? 1 : 0;
      }
    }
  }
  ++tally.checked;
}

template <class Decode>
void corpus_struct(const nlohmann::json& value, Decode decode, CorpusTally& tally,
                   const std::string& where) {
  const Bytes input = corpus_hex(value);
  const auto decoded = decode_all(input, decode);
  ASSERT_TRUE(decoded) << where << ": " << decoded.error().describe();
  const auto encoded = encode_with([&](TlsWriter& w) { encode(w, *decoded); });
  ASSERT_TRUE(encoded) << where;
  EXPECT_EQ(*encoded, input) << where;
  ++tally.checked;
}

void corpus_passive_client(std::string_view file, CorpusTally& tally) {
  const auto cases = corpus_load(file);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string where = std::string(file) + " case " + std::to_string(i);
    corpus_message(cases[i].at("key_package"), tally, where + " key_package");
    corpus_message(cases[i].at("welcome"), tally, where + " welcome");
    corpus_tree(cases[i].at("ratchet_tree"), tally, where + " ratchet_tree");
    for (const auto& epoch : cases[i].at("epochs")) {
      for (const auto& proposal : epoch.at("proposals")) {
        corpus_message(proposal, tally, where + " proposal");
      }
      corpus_message(epoch.at("commit"), tally, where + " commit");
    }
  }
}

TEST(MlsMessagesCorpusTest, EveryStructureOfTheOtherVectorFilesRoundTrips) {
  CorpusTally tally;
  for (const auto& item : corpus_load("welcome.json")) {
    corpus_message(item.at("key_package"), tally, "welcome.json key_package");
    corpus_message(item.at("welcome"), tally, "welcome.json welcome");
  }
  for (const auto& item : corpus_load("message-protection.json")) {
    corpus_struct(item.at("proposal"), decode_proposal, tally, "message-protection proposal");
    corpus_struct(item.at("commit"), decode_commit, tally, "message-protection commit");
    for (const char* name :
         {"proposal_pub", "proposal_priv", "commit_pub", "commit_priv", "application_priv"}) {
      corpus_message(item.at(name), tally, std::string("message-protection ") + name);
    }
  }
  for (const auto& item : corpus_load("tree-operations.json")) {
    corpus_tree(item.at("tree_before"), tally, "tree-operations tree_before");
    corpus_tree(item.at("tree_after"), tally, "tree-operations tree_after");
    corpus_struct(item.at("proposal"), decode_proposal, tally, "tree-operations proposal");
  }
  for (const auto& item : corpus_load("tree-validation.json")) {
    corpus_tree(item.at("tree"), tally, "tree-validation tree");
  }
  for (const auto& item : corpus_load("treekem.json")) {
    corpus_tree(item.at("ratchet_tree"), tally, "treekem ratchet_tree");
    for (const auto& path : item.at("update_paths")) {
      corpus_struct(path.at("update_path"), decode_update_path, tally, "treekem update_path");
    }
  }
  for (const auto& item : corpus_load("transcript-hashes.json")) {
    corpus_struct(item.at("authenticated_content"), decode_authenticated_content, tally,
                  "transcript-hashes authenticated_content");
  }
  corpus_passive_client("passive-client-welcome.json", tally);
  corpus_passive_client("passive-client-handling-commit.json", tally);
  corpus_passive_client("passive-client-random.json", tally);

  RecordProperty("structures", static_cast<int>(tally.checked));
  EXPECT_GT(tally.checked, 2000u);
  EXPECT_GT(tally.parent_nodes, 0u);
  EXPECT_GT(tally.blank_nodes, 0u);
  EXPECT_GT(tally.commit_leaves, 0u);
  EXPECT_GT(tally.private_messages, 0u);
  EXPECT_GT(tally.proposals_by_value, 0u);
}

}  // namespace
}  // namespace bulwark::protocol::mls
