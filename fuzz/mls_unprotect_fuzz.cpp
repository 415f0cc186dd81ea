// MLS message protection: arbitrary bytes against a fixed test group's keys must fail cleanly
// or unprotect, never crash. The first byte picks how the rest is used:
//   0: an MLSMessage: a PublicMessage or PrivateMessage is unprotected, a Welcome opened;
//   1: a PublicMessage whose group, epoch and membership tag are set right, so that the sender
//      lookups and the signature check run on fuzzed content;
//   2: the plaintext of a PrivateMessage (content type and sender data from the next bytes),
//      encrypted with the group's real keys, so that content decoding, padding and signature
//      checks run on fuzzed plaintext;
//   3: the plaintexts of a Welcome (GroupSecrets, then the GroupInfo after a length byte),
//      encrypted to the test KeyPackage, so that opening runs on fuzzed plaintext.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <utility>

#include "counter_rng.h"
#include "fuzz_target.h"
#include "protocol/mls/framing.h"
#include "protocol/mls/key_package.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/messages.h"
#include "protocol/mls/welcome.h"

namespace {

using bulwark::Bytes;
using bulwark::ByteView;
using bulwark::Result;
namespace crypto = bulwark::crypto;
namespace mls = bulwark::protocol::mls;

using bulwark::fuzz::CounterRng;

struct FuzzGroup {
  CounterRng rng;
  mls::CipherSuite suite = *mls::CipherSuite::from_id(1);
  crypto::Ed25519KeyPair signer = crypto::ed25519_keypair(rng);
  mls::GroupContext context;
  Bytes membership_key = Bytes(32, std::byte{1});
  Bytes encryption_secret = Bytes(32, std::byte{2});
  Bytes sender_data_secret = Bytes(32, std::byte{3});
  Bytes joiner_secret = Bytes(32, std::byte{4});
  Bytes psk_secret = Bytes(32, std::byte{0});
  mls::SignatureKeyLookup keys;
  mls::KeyPackageBundle joiner;

  FuzzGroup()
      : joiner(std::move(*mls::create_key_package(
            suite, signer.secret_key,
            mls::KeyPackageParams{mls::basic_credential(Bytes(4, std::byte{'f'}))}, rng))) {
    context.cipher_suite = 1;
    context.group_id = Bytes(8, std::byte{'g'});
    context.epoch = 1;
    context.tree_hash = Bytes(32, std::byte{5});
    context.confirmed_transcript_hash = Bytes(32, std::byte{6});
    const Bytes pub = bulwark::to_bytes(signer.public_key.bytes());
    keys.member = [pub](mls::LeafIndex leaf) -> Result<Bytes> {
      if (leaf.value() > 2) return bulwark::fail(bulwark::Errc::invalid_message, "blank");
      return pub;
    };
    keys.external = [pub](std::uint32_t) -> Result<Bytes> { return pub; };
  }
  mls::SecretTree tree() const {
    return std::move(*mls::SecretTree::create(suite, encryption_secret, 4));
  }
};

const FuzzGroup& group() {
  static const FuzzGroup instance;
  return instance;
}

void open_welcome(const FuzzGroup& g, const mls::Welcome& welcome) {
  const auto secrets =
      mls::open_group_secrets(welcome, g.joiner.key_package, g.joiner.private_keys.init_key);
  if (secrets && secrets->joiner_secret.size() == 32) {
    (void)mls::open_group_info(welcome, secrets->joiner_secret.view(), g.psk_secret);
  }
  (void)mls::open_group_info(welcome, g.joiner_secret, g.psk_secret);
}

void as_message(const FuzzGroup& g, ByteView input) {
  const auto message = mls::deserialize_mls_message(input);
  if (!message) return;
  if (const auto* pub = std::get_if<mls::PublicMessage>(&message->body)) {
    (void)mls::unprotect_public(g.suite, *pub, g.membership_key, g.context, g.keys);
  } else if (const auto* priv = std::get_if<mls::PrivateMessage>(&message->body)) {
    mls::SecretTree tree = g.tree();
    (void)mls::unprotect_private(g.suite, *priv, tree, g.sender_data_secret, g.context, g.keys);
  } else if (const auto* welcome = std::get_if<mls::Welcome>(&message->body)) {
    open_welcome(g, *welcome);
  }
}

void as_tagged_public(const FuzzGroup& g, ByteView input) {
  auto message = mls::deserialize_public_message(input);
  if (!message) return;
  message->content.group_id = g.context.group_id;
  message->content.epoch = g.context.epoch;
  if (message->membership_tag) {
    const auto tbm = mls::authenticated_content_tbm(message->content, message->auth, &g.context);
    if (!tbm) return;
    message->membership_tag = g.suite.mac(g.membership_key, *tbm);
  }
  (void)mls::unprotect_public(g.suite, *message, g.membership_key, g.context, g.keys);
}

void as_private_plaintext(const FuzzGroup& g, ByteView input) {
  if (input.size() < 3) return;
  const auto type = static_cast<mls::ContentType>(1 + std::to_integer<int>(input[0]) % 3);
  const std::uint32_t leaf = std::to_integer<std::uint32_t>(input[1]) % 5;
  const std::uint32_t generation = std::to_integer<std::uint32_t>(input[2]) % 8;
  const ByteView plain = input.subspan(3);
  mls::SecretTree sender = g.tree();
  const auto kind = type == mls::ContentType::application ? mls::RatchetKind::application
                                                          : mls::RatchetKind::handshake;
  const auto key = sender.key_for(mls::LeafIndex(std::min(leaf, 3u)), kind, generation);
  if (!key) return;
  mls::PrivateMessage message{g.context.group_id, g.context.epoch, type, {}, {}, {}};
  const auto aad = mls::serialize(
      mls::PrivateContentAAD{message.group_id, message.epoch, message.content_type, {}});
  auto sealed = g.suite.aead_seal(key->key.view(), key->nonce.view(), *aad, plain);
  if (!sealed) return;
  message.ciphertext = std::move(*sealed);
  const auto sd_key = mls::sender_data_key_nonce(g.suite, g.sender_data_secret, message.ciphertext);
  const auto sd_aad =
      mls::serialize(mls::SenderDataAAD{message.group_id, message.epoch, message.content_type});
  const auto sd = mls::serialize(mls::SenderData{leaf, generation, {}});
  auto sd_sealed = g.suite.aead_seal(sd_key->key.view(), sd_key->nonce.view(), *sd_aad, *sd);
  if (!sd_sealed) return;
  message.encrypted_sender_data = std::move(*sd_sealed);
  mls::SecretTree receiver = g.tree();
  (void)mls::unprotect_private(g.suite, message, receiver, g.sender_data_secret, g.context, g.keys);
}

void as_welcome_plaintext(const FuzzGroup& g, ByteView input) {
  if (input.empty()) return;
  const std::size_t split =
      std::min<std::size_t>(std::to_integer<std::size_t>(input[0]), input.size() - 1);
  const ByteView secrets = input.subspan(1, split);
  const ByteView info = input.subspan(1 + split);
  mls::Welcome welcome;
  welcome.cipher_suite = 1;
  const auto welcome_secret = mls::derive_welcome_secret(g.suite, g.joiner_secret, g.psk_secret);
  const auto key = mls::welcome_key_nonce(g.suite, welcome_secret->view());
  welcome.encrypted_group_info = *g.suite.aead_seal(key->key.view(), key->nonce.view(), {}, info);
  const auto init_key = crypto::X25519PublicKey::from_bytes(g.joiner.key_package.init_key);
  auto sealed = g.suite.encrypt_with_label_deterministic(
      *init_key, "Welcome", welcome.encrypted_group_info, secrets, Bytes(32, std::byte{7}));
  if (!sealed) return;
  welcome.secrets.push_back(mls::EncryptedGroupSecrets{
      g.joiner.ref,
      mls::HPKECiphertext{std::move(sealed->kem_output), std::move(sealed->ciphertext)}});
  open_welcome(g, welcome);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  const FuzzGroup& g = group();
  switch (data[0] % 4) {
    case 0:
      as_message(g, input);
      break;
    case 1:
      as_tagged_public(g, input);
      break;
    case 2:
      as_private_plaintext(g, input);
      break;
    default:
      as_welcome_plaintext(g, input);
      break;
  }
  return 0;
}
