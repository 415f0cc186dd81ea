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
// A lease's name and its holder's id (store.h "leases").
inline constexpr std::size_t max_lease_name_bytes = 64;
inline constexpr std::size_t max_lease_holder_bytes = 64;
// Signed admin requests remembered at once (Store::admit_signed_request): moderators and
// operators are few, so a full table means a flood, and it refuses rather than forgets.
inline constexpr std::size_t max_signed_requests = 65'536;
inline constexpr std::size_t max_signed_request_signature_bytes = 64;

// kt_pending(), kt_entries() and kt_versions() return at most this many rows, whatever limit
// the caller asks for; the caller pages on (after_seq, from, from_entry + skip).
inline constexpr std::uint32_t max_kt_page = 1000;

// A checkpoint keeps cosignatures from at most this many witnesses: kt_add_cosignature refuses
// another witness (Errc::conflict), so kt_cosignatures() can return every one within a bound.
// Deployments configure a handful of witnesses.
inline constexpr std::uint32_t max_kt_cosignatures = 64;

// channel_entries() and channel_posts_before() return at most this many entries; the caller
// pages on. channel_admin_entries() returns at most max_channel_admin_entries: the server
// refuses admin changes beyond it, so a client's replay of them stays bounded.
inline constexpr std::uint32_t max_channel_page = 1000;
// A channel's log holds seqs 1..max_channel_seq and the store holds at most max_channels
// channels: an entry's key is log_number << 32 | seq (store/sql/channels.cpp), one integer,
// so that a channel's entries are neighbours on disk. append_channel_entry and create_channel
// refuse beyond them (Errc::capacity_exceeded); four billion entries a channel.
inline constexpr std::uint64_t max_channel_seq = 0xffffffffULL;
inline constexpr std::int64_t max_channels = 0x7fffffffLL;
inline constexpr std::uint32_t max_channel_admin_entries = 1000;
// subscriptions() returns at most this many channels; subscribe() beyond it is refused by the
// server (Telegram's limit is 500 channels per account; this leaves room).
inline constexpr std::uint32_t max_subscriptions = 1000;

// Moderation lists (queue, reports of a case, log pages, notices) return at most this many.
inline constexpr std::uint32_t max_moderation_page = 200;
// The public report returns at most this many lines (7 categories x 6 actions x 60 months and
// more fit).
inline constexpr std::uint32_t max_moderation_counts = 10000;

// hidden_posts() returns at most this many rows: a caller asking for a wider range than this
// must ask for each post on its own, or rows past the bound would be missed.
inline constexpr std::uint64_t max_hidden_posts_page = 5000;

}  // namespace bulwark::store
