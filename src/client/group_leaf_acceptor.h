// The LeafAcceptor Bulwark gives the MLS core (protocol/mls/group/group.h): every leaf that
// enters this device's view of a group (a Welcome's tree, an Add, an Update, a commit's path
// leaf) must carry a Bulwark credential (client/group_credential.h) that verifies against its
// account's record as key transparency publishes it. A refusal refuses the whole message; the
// core reports it as "leaf N refused: device D of ACCOUNT: <reason>".
//
// The record lookup is the caller's (the client verifies it against the pinned KT log); each
// account is looked up once per acceptor, and again (with `refresh` set) at most
// `refreshes` times when its record lacks the leaf's device, which a device just added to
// its account may (the log publishes it a moment later).
#pragma once

#include <functional>

#include "common/bytes.h"
#include "common/result.h"
#include "kt/account_record.h"
#include "protocol/mls/group/group.h"

namespace bulwark::client {

using AccountRecordLookup =
    std::function<Result<kt::AccountRecord>(ByteView account_id, bool refresh)>;

[[nodiscard]] protocol::mls::LeafAcceptor kt_leaf_acceptor(AccountRecordLookup lookup,
                                                           int refreshes = 0);

}  // namespace bulwark::client
