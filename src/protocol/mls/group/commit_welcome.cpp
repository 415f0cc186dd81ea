// The Welcome for the members a commit adds (RFC 9420 §12.4.3.1): a signed GroupInfo of the
// new epoch (with the ratchet_tree extension unless the tree travels out of band), and for
// each joiner the joiner secret and the path secret of its lowest common ancestor with the
// committer.
#include <utility>
#include <variant>

#include "protocol/mls/group/commit_parts.h"
#include "protocol/mls/messages/group_info.h"
#include "protocol/mls/messages/mls_message.h"
#include "protocol/mls/messages/ratchet_tree.h"
#include "protocol/mls/welcome.h"

namespace bulwark::protocol::mls {
namespace {

Result<Bytes> signed_group_info(const GroupState& next, bool with_tree) {
  GroupInfo info;
  info.group_context = next.context;
  if (with_tree) {
    Extension tree = BULWARK_TRY(ratchet_tree_extension(next.tree->to_wire()));
    info.extensions.push_back(std::move(tree));
  }
  info.confirmation_tag = next.confirmation_tag;
  info.signer = next.own_leaf().value();
  BULWARK_TRY(sign_group_info(next.suite, next.signer, info));
  return serialize(info);
}

}  // namespace

Result<Bytes> build_welcome(const WelcomeInput& input, Rng& rng) {
  const GroupState& next = *input.next;
  const AppliedProposals& applied = *input.applied;
  const Bytes group_info = BULWARK_TRY(signed_group_info(next, input.ratchet_tree_extension));
  std::vector<WelcomeRecipient> recipients;
  recipients.reserve(applied.joiners.size());
  const NodeIndex committer = to_node(next.own_leaf());
  for (std::size_t i = 0; i < applied.joiners.size(); ++i) {
    const CommittedProposal& entry = input.list[applied.add_entries[i]];
    WelcomeRecipient recipient{&std::get<Add>(entry.proposal.body).key_package, std::nullopt};
    if (input.path != nullptr) {
      const auto ancestor =
          common_ancestor(to_node(applied.joiners[i]), committer, next.tree->leaf_count());
      const SecretBytes* secret = ancestor ? input.path->secret_at(*ancestor) : nullptr;
      if (secret == nullptr) {
        return fail(Errc::internal, "no path secret at a joiner's common ancestor");
      }
      recipient.path_secret = secret->view();
    }
    recipients.push_back(recipient);
  }
  Welcome welcome = BULWARK_TRY(create_welcome(next.suite, input.joiner_secret, input.psk_secret,
                                               applied.psks, group_info, recipients, rng));
  return serialize(MLSMessage{ProtocolVersion::mls10, std::move(welcome)});
}

}  // namespace bulwark::protocol::mls
