// Bounds every Store backend applies (store/store.h), so that no read returns an unbounded
// list (STYLE.md: every server read has a size limit).
#pragma once

#include <cstdint>

namespace bulwark::store {

// queued() returns at most this many envelopes, whatever limit the caller asks for; the caller
// pages on with after_seq.
inline constexpr std::uint32_t max_queued_page = 1000;

// recent_ips() returns at most this many sightings, the most recently seen first.
inline constexpr std::uint32_t max_recent_ips = 1000;

}  // namespace bulwark::store
