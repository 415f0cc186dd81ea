// The client's decoders of group data (client/groups.h): a stored group event (JSON text), a
// stored group state row (Group::deserialize with the client's configuration), a leaf's
// Bulwark credential, and the KT leaf acceptor over a leaf decoded from the input. The first
// byte picks the decoder.
//
// Oracles: a decoded event re-encodes to text that decodes to the same event; a deserialized
// state serializes and deserializes again to the same epoch and group id; a parsed credential
// is exactly mls_credential_bytes long; the acceptor never accepts a leaf (the account's record
// names a fixed identity key whose secret no seed uses and a fuzzer cannot find) and always
// says why.
#include <cstdlib>
#include <string>

#include "client/group_credential.h"
#include "client/group_event_codec.h"
#include "client/group_leaf_acceptor.h"
#include "crypto/x25519.h"
#include "fuzz_target.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/messages/leaf_node.h"

namespace {

using namespace bulwark;
namespace mls = protocol::mls;

void must(bool condition) {
  if (!condition) std::abort();
}

bool same_member(const client::GroupMember& a, const client::GroupMember& b) {
  return a.leaf == b.leaf && a.account == b.account && a.device_id == b.device_id &&
         a.phone == b.phone && a.username == b.username && a.you == b.you;
}

void check_event(ByteView input) {
  const std::string text(reinterpret_cast<const char*>(input.data()), input.size());
  auto decoded = client::decode_group_event(text);
  if (!decoded) return;
  auto again = client::decode_group_event(client::encode_group_event(*decoded));
  must(again.has_value());
  must(again->kind == decoded->kind && again->group_id == decoded->group_id &&
       again->epoch == decoded->epoch && again->text == decoded->text &&
       again->detail == decoded->detail && again->changes.size() == decoded->changes.size() &&
       again->from.has_value() == decoded->from.has_value());
  if (decoded->from) must(same_member(*again->from, *decoded->from));
}

kt::AccountRecord fixed_record() {
  kt::AccountRecord record;
  const auto identity = crypto::X25519SecretKey::from_bytes(Bytes(32, std::byte{9})).value();
  record.identity_key[0] = std::byte{0x05};
  const crypto::X25519PublicKey public_key = identity.public_key();  // bytes() views it
  const ByteView pub = public_key.bytes();
  std::copy(pub.begin(), pub.end(), record.identity_key.begin() + 1);
  for (std::uint32_t device = 1; device <= 3; ++device)
    record.devices.push_back(kt::device_entry(device, device, Bytes(32, std::byte{1})));
  return record;
}

mls::GroupConfig client_config() {
  mls::GroupConfig config;
  config.accept_leaf = client::kt_leaf_acceptor(
      [](ByteView, bool) -> Result<kt::AccountRecord> { return fixed_record(); }, 1);
  return config;
}

void check_state(ByteView input) {
  auto group = mls::Group::deserialize(input, client_config());
  if (!group) return;
  auto serialized = group->serialize();
  must(serialized.has_value());
  auto again = mls::Group::deserialize(serialized->view(), client_config());
  must(again && again->epoch() == group->epoch() &&
       std::ranges::equal(again->group_id(), group->group_id()));
}

void check_credential(ByteView input) {
  auto parsed = client::parse_mls_credential(input);
  if (parsed) must(input.size() == client::mls_credential_bytes);
}

void check_leaf(ByteView input) {
  mls::TlsReader reader(input);
  auto leaf = mls::decode_leaf_node(reader);
  if (!leaf) return;
  const auto accepted = client::kt_leaf_acceptor(
      [](ByteView, bool) -> Result<kt::AccountRecord> { return fixed_record(); }, 1)(
      *leaf, mls::LeafIndex(0));
  must(!accepted && !accepted.error().context.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      check_event(input);
      break;
    case 1:
      check_state(input);
      break;
    case 2:
      check_credential(input);
      break;
    default:
      check_leaf(input);
      break;
  }
  return 0;
}
