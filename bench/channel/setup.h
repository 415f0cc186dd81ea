// The set-up of a channel benchmark run, none of it measured: the accounts (registered through
// the API), their authenticated connections, the two channels and the subscriptions.
//
// Device i of the fleet is link i: the channels' owner, the catch-up reader, then one device
// per subscriber account. Subscribers subscribe to the fan-out channel from their live
// connection; the reader subscribes to the catch-up channel and goes offline, as a subscriber
// who closed the app does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "calls.h"
#include "channel_frames.h"
#include "device.h"
#include "device_link.h"
#include "ws_client.h"

namespace bulwark::bench_channel {

inline constexpr std::size_t owner_index = 0;
inline constexpr std::size_t reader_index = 1;
inline constexpr std::size_t first_subscriber = 2;

struct Setup {
  const loadgen::TlsClientContext& tls;
  loadgen::ServerAddress server;
  loadgen::EventLoop& loop;
  std::vector<loadgen::DeviceCredentials> devices;
  std::vector<std::unique_ptr<loadgen::DeviceLink>> links;  // links[i] is devices[i]'s
  std::uint64_t next_request_id = 100;  // one sequence for every link (1 is Authenticate)

  [[nodiscard]] std::uint64_t request_id() { return next_request_id++; }

  [[nodiscard]] std::size_t subscribers() const { return devices.size() - first_subscriber; }
  [[nodiscard]] loadgen::DeviceLink& owner() const { return *links[owner_index]; }
};

// Plans the devices (one account each) and registers them; prints how long it took.
[[nodiscard]] bool register_fleet(Setup& setup, std::size_t subscribers,
                                  const std::filesystem::path& codes_file, std::size_t concurrency,
                                  Clock::time_point deadline);

// Connects and authenticates links[begin, end) (a fresh DeviceLink for each); every push is
// stamped with its kernel receive time. Prints how long it took as `name_seconds`.
[[nodiscard]] bool connect_range(Setup& setup, std::size_t begin, std::size_t end, const char* name,
                                 Clock::time_point deadline);

// ChannelCreate of `channel` from the owner.
[[nodiscard]] bool create_channel(Setup& setup, const OwnedChannel& channel);

// ChannelSubscribe from each of links[begin, end), then ChannelInfo checks the count.
[[nodiscard]] bool subscribe_range(Setup& setup, const OwnedChannel& channel, std::size_t begin,
                                   std::size_t end, const char* name, Clock::time_point deadline);

// The channel's description (ChannelInfo by handle), asked over `link`.
[[nodiscard]] std::optional<api::ChannelInfoResult> channel_info(Setup& setup,
                                                                 loadgen::DeviceLink& link,
                                                                 const OwnedChannel& channel);

}  // namespace bulwark::bench_channel
