// See mls_peer.h: the ops on one group, i.e. creating it, committing (add, remove, update),
// sending and processing messages. Each op computes the group's next state on a copy and
// adopts it only once nothing else in the request can fail.
#include <ctime>
#include <utility>
#include <variant>

#include "mls_peer.h"
#include "peer_request.h"
#include "protocol/mls/messages/mls_message.h"

namespace bulwark::interop {
namespace {

using mls_peer::array_field;
using mls_peer::b64;
using mls_peer::bytes_field;
using mls_peer::RequestError;
using mls_peer::take;
using mls_peer::uint32_of;
using nlohmann::json;
namespace mls = protocol::mls;

json ok(json body = json::object()) {
  body["ok"] = true;
  return body;
}

mls::KeyPackage key_package_of(ByteView encoded) {
  mls::MLSMessage message = take(mls::deserialize_mls_message(encoded));
  auto* key_package = std::get_if<mls::KeyPackage>(&message.body);
  if (key_package == nullptr) throw RequestError("a key_packages entry is not a KeyPackage");
  return std::move(*key_package);
}

// Unix seconds for the committer's KeyPackage lifetime check (§10.1).
std::uint64_t now_seconds() { return static_cast<std::uint64_t>(std::time(nullptr)); }

const char* kind_name(mls::ContentKind kind) {
  switch (kind) {
    case mls::ContentKind::application:
      return "application";
    case mls::ContentKind::proposal:
      return "proposal";
    case mls::ContentKind::commit:
      return "commit";
  }
  return "?";
}

}  // namespace

json MlsPeer::create_group(const json& request) {
  const Bytes group_id = bytes_field(request, "group_id");
  if (groups_.contains(group_id)) throw RequestError("group already exists");
  auto group = take(mls::Group::create(*suite_, group_id, member(), rng_));
  const auto epoch = group.epoch();
  groups_.emplace(group_id, std::move(group));
  return ok({{"epoch", epoch}});
}

mls::Group::CommitOutput MlsPeer::commit(const json& request,
                                         const mls::CommitRequest& commit_request) {
  mls::Group& group = group_of(request);
  auto output = take(group.commit(commit_request, rng_));
  // The delivery service is the test: the committer moves to the new epoch at once.
  group = output.group;
  return output;
}

// Adds with an UpdatePath (post-compromise security for the committer) and the ratchet tree in
// the Welcome as well as in the response, so that joiners exercise both ways of getting it.
json MlsPeer::add(const json& request) {
  mls::CommitRequest commit_request;
  for (const auto& entry : array_field(request, "key_packages")) {
    if (!entry.is_string()) throw RequestError("key_packages entries must be base64");
    auto decoded = crypto::base64_decode(entry.get<std::string>());
    if (!decoded) throw RequestError("a key_packages entry is not standard base64");
    commit_request.add.push_back(key_package_of(*decoded));
  }
  commit_request.now = now_seconds();
  auto output = commit(request, commit_request);
  if (!output.welcome) throw RequestError("internal: an add commit without a Welcome");
  return ok({{"commit", b64(output.commit)},
             {"welcome", b64(*output.welcome)},
             {"ratchet_tree", b64(output.ratchet_tree)},
             {"epoch", output.group.epoch()}});
}

json MlsPeer::remove(const json& request) {
  mls::CommitRequest commit_request;
  for (const auto& leaf : array_field(request, "leaves")) {
    commit_request.remove.emplace_back(uint32_of(leaf, "a leaves entry"));
  }
  auto output = commit(request, commit_request);
  return ok({{"commit", b64(output.commit)}, {"epoch", output.group.epoch()}});
}

// An empty commit: it always carries an UpdatePath, which refreshes the committer's leaf.
json MlsPeer::update(const json& request) {
  auto output = commit(request, mls::CommitRequest{});
  return ok({{"commit", b64(output.commit)}, {"epoch", output.group.epoch()}});
}

json MlsPeer::encrypt(const json& request) {
  mls::Group& group = group_of(request);
  auto sent = take(group.encrypt(bytes_field(request, "plaintext"), {}, rng_));
  group = std::move(sent.group);
  return ok({{"message", b64(sent.message)}});
}

// Proposals by reference are outside the protocol and refused, as the ts-mls peer does. A
// commit that removes this member closes the group: it is dropped from the peer.
json MlsPeer::process(const json& request) {
  const Bytes group_id = bytes_field(request, "group_id");
  mls::Group& group = group_of(request);
  auto processed = take(group.process(bytes_field(request, "message")));
  if (processed.kind == mls::ContentKind::proposal) {
    throw RequestError("proposals are not part of the interop protocol");
  }
  json body = {{"kind", kind_name(processed.kind)}};
  if (processed.kind == mls::ContentKind::application) {
    body["plaintext"] = b64(processed.application_data);
  }
  if (processed.removed_me || !processed.group) {
    body["epoch"] = processed.epoch + 1;
    body["removed"] = true;
    groups_.erase(group_id);
    return ok(std::move(body));
  }
  group = std::move(*processed.group);
  body["epoch"] = group.epoch();
  return ok(std::move(body));
}

}  // namespace bulwark::interop
