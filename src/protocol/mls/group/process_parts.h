// The parts of Group::process (process.cpp) that live in their own files.
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/messages/framing.h"

namespace bulwark::protocol::mls {

// What every Processed says: kind, epoch, sender and its credential, authenticated data.
[[nodiscard]] Group::Processed processed_base(const GroupState& state,
                                              const AuthenticatedContent& content,
                                              ContentKind kind);

// A commit from another member (§12.4.2), authenticated already: `next` is a copy of
// `state` (its secret tree past the message's key), turned into the new epoch's state.
// `message` is the whole MLSMessage (its hash tells a replay from a fork later).
[[nodiscard]] Result<Group::Processed> process_commit(const GroupState& state, GroupState next,
                                                      const AuthenticatedContent& content,
                                                      ByteView message);

}  // namespace bulwark::protocol::mls
