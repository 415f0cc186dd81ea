#include "channel_frames.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "api/proto/api.pb.h"

namespace bulwark::bench_channel {
namespace {

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

Bytes signed_entry(channel::Entry& entry, const crypto::Ed25519SecretKey& key) {
  auto encoded = channel::sign_with_channel_key(entry, key).and_then([&]() {
    return channel::encode_entry(entry);
  });
  if (!encoded) {
    std::fprintf(stderr, "bulwark-bench-channel: cannot sign entry %llu: %s\n",
                 static_cast<unsigned long long>(entry.seq), encoded.error().describe().c_str());
    std::abort();
  }
  return std::move(*encoded);
}

std::string serialised(const api::Frame& frame) {
  std::string out;
  frame.SerializeToString(&out);
  return out;
}

}  // namespace

std::string_view text_of(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

OwnedChannel::OwnedChannel(std::string handle, std::string title, Rng& rng)
    : key_(crypto::ed25519_keypair(rng)), handle_(std::move(handle)) {
  const ByteView public_key = key_.public_key.bytes();
  id_ = channel::channel_id_for_key(public_key);
  channel::Entry create;
  create.channel = id_;
  create.seq = 1;
  create.time_ms = now_ms();
  create.kind = channel::EntryKind::create;
  create.profile.handle = handle_;
  create.profile.title = std::move(title);
  create.profile.channel_key = to_bytes(public_key);
  create_entry_ = signed_entry(create, key_.secret_key);
}

std::string OwnedChannel::create_frame(std::uint64_t request_id) const {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(request_id);
  request->mutable_channel_create()->set_create_entry(std::string(text_of(create_entry_)));
  return serialised(frame);
}

Bytes OwnedChannel::post_entry(std::uint64_t seq, std::string_view text) const {
  channel::Entry post;
  post.channel = id_;
  post.seq = seq;
  post.time_ms = now_ms();
  post.kind = channel::EntryKind::post;
  post.text = std::string(text);
  return signed_entry(post, key_.secret_key);
}

std::string append_frame(std::uint64_t request_id, ByteView entry) {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(request_id);
  request->mutable_channel_append()->set_entry(std::string(text_of(entry)));
  return serialised(frame);
}

std::string subscribe_frame(std::uint64_t request_id, std::string_view handle) {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(request_id);
  request->mutable_channel_subscribe()->set_handle(std::string(handle));
  return serialised(frame);
}

std::string info_frame(std::uint64_t request_id, std::string_view handle) {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(request_id);
  request->mutable_channel_info()->set_handle(std::string(handle));
  return serialised(frame);
}

std::string read_frame(std::uint64_t request_id, const channel::ChannelId& channel,
                       std::uint64_t after, std::uint32_t limit) {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(request_id);
  auto* read = request->mutable_channel_read();
  read->set_channel_id(std::string(text_of(view_of(channel))));
  read->set_after(after);
  read->set_limit(limit);
  return serialised(frame);
}

std::string post_text(std::uint64_t seq, std::size_t bytes) {
  std::string text = "post " + std::to_string(seq) + " ";
  text.resize(bytes, 'x');
  return text;
}

}  // namespace bulwark::bench_channel
