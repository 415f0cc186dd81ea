#include "setup.h"

#include <cstdio>

#include "code_file.h"
#include "crypto/random.h"
#include "registration.h"

namespace bulwark::bench_channel {
namespace {

using loadgen::DeviceLink;

constexpr std::size_t handshakes_in_flight = 128;  // as bulwark-loadgen's connects
constexpr std::size_t subscribes_in_flight = 256;
constexpr auto call_timeout = std::chrono::seconds(30);

}  // namespace

bool register_fleet(Setup& setup, std::size_t subscribers, const std::filesystem::path& codes_file,
                    std::size_t concurrency, Clock::time_point deadline) {
  crypto::SystemRng rng;
  const std::size_t count = first_subscriber + subscribers;
  std::vector<loadgen::AccountPlan> plans;
  for (std::size_t i = 0; i < count; ++i) {
    setup.devices.push_back(loadgen::new_device(loadgen::phone_number(i), rng));
    plans.push_back({i, 1});
  }
  setup.links.resize(count);
  loadgen::CodeFile codes(codes_file);
  const loadgen::RegistrationOutcome outcome = loadgen::register_accounts(
      setup.tls, setup.server, codes, setup.devices, plans, concurrency, deadline);
  std::printf(
      "  registration_accounts=%zu registration_failed=%zu registration_seconds=%.1f "
      "registrations_per_second=%.0f\n",
      outcome.accounts, outcome.failed, outcome.seconds,
      static_cast<double>(outcome.accounts) / outcome.seconds);
  if (outcome.failed > 0) std::printf("  registration FAILED: %s\n", outcome.first_failure.c_str());
  return outcome.failed == 0;
}

bool connect_range(Setup& setup, std::size_t begin, std::size_t end, const char* name,
                   Clock::time_point deadline) {
  for (std::size_t i = begin; i < end; ++i) {
    setup.links[i] =
        std::make_unique<DeviceLink>(setup.loop, setup.tls, setup.server, setup.devices[i], i);
    setup.links[i]->use_kernel_receive_times();
  }
  const loadgen::ConnectOutcome outcome =
      loadgen::connect_links(setup.loop, setup.links, begin, end, handshakes_in_flight, deadline);
  std::printf("  %s_connections=%zu %s_seconds=%.2f\n", name, outcome.ready, name, outcome.seconds);
  if (outcome.failed > 0)
    std::printf("  %s: %zu connections FAILED: %s\n", name, outcome.failed,
                outcome.first_failure.c_str());
  return outcome.failed == 0;
}

bool create_channel(Setup& setup, const OwnedChannel& channel) {
  std::string failure;
  const std::uint64_t id = setup.request_id();
  const auto answer =
      call_once(setup.loop, {&setup.owner(), id, channel.create_frame(id)}, call_timeout, failure);
  if (!answer) {
    std::printf("  ChannelCreate %s FAILED: %s\n", channel.handle().c_str(), failure.c_str());
    return false;
  }
  if (answer->channel_create().channel_id() != text_of(view_of(channel.id()))) {
    std::printf("  ChannelCreate %s answered another channel id\n", channel.handle().c_str());
    return false;
  }
  return true;
}

std::optional<api::ChannelInfoResult> channel_info(Setup& setup, DeviceLink& link,
                                                   const OwnedChannel& channel) {
  std::string failure;
  const std::uint64_t id = setup.request_id();
  const auto answer =
      call_once(setup.loop, {&link, id, info_frame(id, channel.handle())}, call_timeout, failure);
  if (!answer) {
    std::printf("  ChannelInfo %s FAILED: %s\n", channel.handle().c_str(), failure.c_str());
    return std::nullopt;
  }
  return answer->channel_info();
}

bool subscribe_range(Setup& setup, const OwnedChannel& channel, std::size_t begin, std::size_t end,
                     const char* name, Clock::time_point deadline) {
  const std::uint64_t first_id = setup.next_request_id;
  setup.next_request_id += end - begin;
  const auto make = [&](std::size_t i) {
    const std::uint64_t id = first_id + i;
    return Call{setup.links[begin + i].get(), id, subscribe_frame(id, channel.handle())};
  };
  const auto accept = [](std::size_t, const api::Response&) { return std::string(); };
  const CallsOutcome outcome =
      pump_calls(setup.loop, end - begin, subscribes_in_flight, make, accept, deadline);
  std::printf("  %s_subscribed=%zu %s_seconds=%.2f\n", name, outcome.answered, name,
              outcome.seconds);
  if (outcome.failed > 0) {
    std::printf("  %s: %zu subscriptions FAILED: %s\n", name, outcome.failed,
                outcome.first_failure.c_str());
    return false;
  }
  const auto info = channel_info(setup, setup.owner(), channel);
  if (!info) return false;
  std::printf("  channel %s: server counts %llu subscribers, last_seq %llu\n",
              channel.handle().c_str(), static_cast<unsigned long long>(info->subscribers()),
              static_cast<unsigned long long>(info->last_seq()));
  if (info->subscribers() != end - begin)
    std::printf("  note: %zu accounts subscribed, the server counts %llu\n", end - begin,
                static_cast<unsigned long long>(info->subscribers()));
  return true;
}

}  // namespace bulwark::bench_channel
