// The live half of a group send's fan-out (docs/GROUPS.md "Delivery service (server)"): once
// the store has queued a delivery's copies (one per recipient device, all with the same id and
// bytes), the devices online get it pushed, through the bus (on this node or another). The Push frame is serialised once per delivery and
// shared by every connection, so a commit to 10,000 devices is one frame in memory, not 10,000.
//
// Runs on the store's sync thread, in commit order (DeviceSession::with_store's
// in_commit_order), so that each device sees its queue in order.
#pragma once

#include "server/bus/bus.h"
#include "store/group_records.h"

namespace bulwark::server {

void push_group_copies(Bus& bus, const store::GroupSend& send,
                       const store::GroupSendOutcome& outcome);

}  // namespace bulwark::server
