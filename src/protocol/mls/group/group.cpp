// The Group facade: construction, copies and the read-only accessors. Each operation lives
// in its own file (create, join, commit_create, commit_process, process, application,
// proposals, state_codec).
#include "protocol/mls/group/group.h"

#include <utility>

#include "protocol/mls/group/group_psks.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/ratchet_tree.h"

namespace bulwark::protocol::mls {

Group::Group(std::unique_ptr<GroupState> state) noexcept : state_(std::move(state)) {}

Group::Group(const Group& other) : state_(std::make_unique<GroupState>(other.state_->clone())) {}

Group& Group::operator=(const Group& other) {
  if (this != &other) state_ = std::make_unique<GroupState>(other.state_->clone());
  return *this;
}

Group::Group(Group&& other) noexcept = default;
Group& Group::operator=(Group&& other) noexcept = default;
Group::~Group() = default;

const CipherSuite& Group::cipher_suite() const noexcept { return state_->suite; }
ByteView Group::group_id() const noexcept { return state_->context.group_id; }
std::uint64_t Group::epoch() const noexcept { return state_->context.epoch; }
LeafIndex Group::own_leaf() const noexcept { return state_->own_leaf(); }
const GroupContext& Group::group_context() const noexcept { return state_->context; }

const SecretBytes& Group::epoch_authenticator() const noexcept {
  return state_->secrets.epoch_authenticator;
}

std::size_t Group::pending_proposals() const noexcept { return state_->proposals.size(); }

std::vector<MemberInfo> Group::members() const {
  std::vector<MemberInfo> out;
  const PublicTree& tree = *state_->tree;
  out.reserve(tree.member_count());
  for (const LeafIndex leaf : tree.members()) out.push_back(member_info(leaf, *tree.leaf(leaf)));
  return out;
}

std::optional<MemberInfo> Group::member(LeafIndex leaf) const {
  const LeafNode* node = state_->tree->leaf(leaf);
  if (node == nullptr) return std::nullopt;
  return member_info(leaf, *node);
}

Result<Bytes> Group::ratchet_tree() const { return mls::serialize(state_->tree->to_wire()); }

Result<SecretBytes> Group::export_secret(std::string_view label, ByteView context,
                                         std::uint16_t length) const {
  return mls_exporter(state_->suite, state_->secrets.exporter_secret.view(), label, context,
                      length);
}

Result<void> Group::add_external_psk(ExternalPsk psk) {
  BULWARK_TRY(check_external_psk(psk));
  for (ExternalPsk& held : state_->external_psks) {
    if (held.psk_id == psk.psk_id) {
      held.psk = std::move(psk.psk);
      return {};
    }
  }
  if (state_->external_psks.size() >= max_external_psks) {
    return fail(Errc::invalid_argument, "too many external PSKs");
  }
  state_->external_psks.push_back(std::move(psk));
  return {};
}

}  // namespace bulwark::protocol::mls
