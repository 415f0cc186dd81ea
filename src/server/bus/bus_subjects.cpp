#include "server/bus/bus_subjects.h"

#include "common/bytes.h"

namespace bulwark::server {

std::string device_subject(const store::DeviceAddress& device) {
  return "bulwark.d." + to_hex(device.account.bytes) + "." + std::to_string(device.device.value());
}

std::string channel_subject(const store::ChannelId& channel) {
  return "bulwark.c." + to_hex(channel.bytes);
}

}  // namespace bulwark::server
