// See mls_peer.h. The per-client ops (identity, KeyPackages, join, state) live here; the ops on
// one group's epochs and messages are in mls_peer_group.cpp.
#include "mls_peer.h"

#include <algorithm>
#include <exception>
#include <string_view>
#include <utility>
#include <variant>

#include "peer_request.h"
#include "protocol/mls/messages/mls_message.h"

namespace bulwark::interop {
namespace {

using mls_peer::b64;
using mls_peer::bytes_field;
using mls_peer::field;
using mls_peer::RequestError;
using mls_peer::take;
using nlohmann::json;
namespace mls = protocol::mls;

json ok(json body = json::object()) {
  body["ok"] = true;
  return body;
}

// The KeyPackageRefs a Welcome names, for finding the bundle Group::join will use.
std::vector<mls::KeyPackageRef> welcome_refs(ByteView welcome) {
  mls::MLSMessage message = take(mls::deserialize_mls_message(welcome));
  const auto* body = std::get_if<mls::Welcome>(&message.body);
  if (body == nullptr) throw RequestError("field \"welcome\" is not a Welcome MLSMessage");
  std::vector<mls::KeyPackageRef> refs;
  for (const auto& entry : body->secrets) refs.push_back(entry.new_member);
  return refs;
}

}  // namespace

json MlsPeer::handle(const std::string& line) {
  try {
    const json request = json::parse(line);
    if (!request.is_object()) throw RequestError("a request must be a JSON object");
    return dispatch(request);
  } catch (const json::exception& e) {
    return {{"ok", false}, {"error", std::string("malformed request: ") + e.what()}};
  } catch (const std::exception& e) {
    return {{"ok", false}, {"error", e.what()}};
  }
}

json MlsPeer::dispatch(const json& request) {
  const auto& op_value = field(request, "op");
  if (!op_value.is_string()) throw RequestError("field \"op\" must be a string");
  const auto op = op_value.get<std::string>();
  if (op == "identity") return identity(request);
  using Op = json (MlsPeer::*)(const json&);
  static const std::pair<std::string_view, Op> ops[] = {
      {"create_group", &MlsPeer::create_group},
      {"add", &MlsPeer::add},
      {"remove", &MlsPeer::remove},
      {"update", &MlsPeer::update},
      {"join", &MlsPeer::join},
      {"encrypt", &MlsPeer::encrypt},
      {"process", &MlsPeer::process},
      {"state", &MlsPeer::state},
  };
  const auto* found = std::find_if(std::begin(ops), std::end(ops),
                                   [&](const auto& entry) { return entry.first == op; });
  if (found == std::end(ops) && op != "key_package") {
    throw RequestError("unknown op \"" + op + "\"");
  }
  if (!suite_) throw RequestError("the first request must be \"identity\"");
  if (op == "key_package") return key_package();
  return (this->*(found->second))(request);
}

json MlsPeer::identity(const json& request) {
  if (suite_) throw RequestError("identity is already set");
  const auto& name = field(request, "name");
  if (!name.is_string() || name.get<std::string>().empty()) {
    throw RequestError("field \"name\" must be a non-empty string");
  }
  const auto& suite = field(request, "suite");
  const auto id = suite.is_number_unsigned() ? suite.get<std::uint64_t>() : 0;
  if (id != 1 && id != 3) throw RequestError("field \"suite\" must be 1 or 3");
  auto chosen = take(mls::CipherSuite::from_id(static_cast<std::uint16_t>(id)));
  credential_ = mls::basic_credential(to_bytes(as_bytes(name.get<std::string>())));
  signature_key_ =
      std::make_unique<crypto::Ed25519SecretKey>(crypto::ed25519_keypair(rng_).secret_key);
  suite_ = chosen;
  return ok();
}

json MlsPeer::key_package() {
  mls::KeyPackageParams params;
  params.credential = credential_;
  auto bundle = take(mls::create_key_package(*suite_, *signature_key_, std::move(params), rng_));
  const mls::MLSMessage message{mls::ProtocolVersion::mls10, bundle.key_package};
  auto encoded = take(mls::serialize(message));
  key_packages_.push_back(std::move(bundle));
  return ok({{"key_package", b64(encoded)}});
}

// The Welcome must name one of our unused KeyPackages; that one is consumed on success.
json MlsPeer::join(const json& request) {
  const Bytes welcome = bytes_field(request, "welcome");
  const Bytes tree = bytes_field(request, "ratchet_tree");
  const auto refs = welcome_refs(welcome);
  const auto used = std::find_if(key_packages_.begin(), key_packages_.end(), [&](const auto& kp) {
    return std::find(refs.begin(), refs.end(), kp.ref) != refs.end();
  });
  if (used == key_packages_.end()) {
    throw RequestError("the welcome is for none of our KeyPackages");
  }
  // An empty ratchet_tree means "take it from the Welcome's ratchet_tree extension".
  std::optional<ByteView> out_of_band;
  if (!tree.empty()) out_of_band = ByteView(tree);
  auto joined = take(mls::Group::join(welcome, out_of_band, key_packages_, *signature_key_, {}));
  const Bytes group_id = to_bytes(joined.group_id());
  if (groups_.contains(group_id)) throw RequestError("already a member of that group");
  const auto epoch = joined.epoch();
  groups_.emplace(group_id, std::move(joined));
  key_packages_.erase(used);
  return ok({{"group_id", b64(group_id)}, {"epoch", epoch}});
}

json MlsPeer::state(const json& request) {
  const mls::Group& group = group_of(request);
  json members = json::array();
  for (const auto& info : group.members()) {
    members.push_back({{"leaf", info.leaf.value()}, {"identity", b64(info.credential.identity)}});
  }
  return ok({{"epoch", group.epoch()},
             {"epoch_authenticator", b64(group.epoch_authenticator().view())},
             {"members", members}});
}

mls::Group& MlsPeer::group_of(const json& request) {
  auto found = groups_.find(bytes_field(request, "group_id"));
  if (found == groups_.end()) throw RequestError("no such group");
  return found->second;
}

mls::Member MlsPeer::member() const {
  auto key = take(crypto::Ed25519SecretKey::from_seed(signature_key_->seed().view()));
  return mls::Member{std::move(key), credential_, mls::default_capabilities(), {}};
}

}  // namespace bulwark::interop
