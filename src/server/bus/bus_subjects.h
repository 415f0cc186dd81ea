// The NATS subjects of the cluster bus (docs/OPERATIONS.md "Cluster: the bus").
//
//   bulwark.d.<account-hex>.<device>  a device's pushes and its displacement; the node holding
//                                     the device subscribes, so NATS interest is the presence
//                                     table (no subscriber: the device is offline everywhere)
//   bulwark.c.<channel-hex>           a channel's posts; each node with an online subscriber
//                                     subscribes once
//
// Hex is lower case, the device id decimal: one subject per address, never two spellings.
#pragma once

#include <string>

#include "store/records.h"

namespace bulwark::server {

[[nodiscard]] std::string device_subject(const store::DeviceAddress& device);
[[nodiscard]] std::string channel_subject(const store::ChannelId& channel);

}  // namespace bulwark::server
