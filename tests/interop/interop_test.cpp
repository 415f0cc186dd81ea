// Interop scenarios between two Signal peers (PQXDH + Double Ratchet, message version 4), run
// for every ordered (initiator, responder) pair of peer kinds: libsignal × libsignal checks the
// driver itself against the reference; the pairs with bulwark-peer check Bulwark against it.
// Alice (device 1) always initiates from Bob's (device 2) bundle. Every delivery compares the
// plaintext, and every rejection is followed by a genuine message that must still decrypt: a
// refused message may not change the receiver's state.
// Deterministic: plaintexts and shuffles come from fixed seeds (mt19937); no sleeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "party.h"
#include "wire_edit.h"

namespace bulwark::interop {
namespace {

struct Roles {
  PeerKind initiator;
  PeerKind responder;
};

void PrintTo(const Roles& roles, std::ostream* out) {
  *out << to_string(roles.initiator) << " -> " << to_string(roles.responder);
}

std::vector<Roles> all_roles() {
  std::vector<Roles> roles{{PeerKind::libsignal, PeerKind::libsignal}};
#ifdef BULWARK_HAVE_PEER_BIN
  roles.push_back({PeerKind::bulwark, PeerKind::libsignal});
  roles.push_back({PeerKind::libsignal, PeerKind::bulwark});
  roles.push_back({PeerKind::bulwark, PeerKind::bulwark});
#endif
  return roles;
}

std::string capitalised(PeerKind kind) {
  std::string name(to_string(kind));
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

std::string roles_name(const ::testing::TestParamInfo<Roles>& info) {
  return capitalised(info.param.initiator) + "To" + capitalised(info.param.responder);
}

Envelope with_bit_flipped(Envelope message, std::size_t index, std::uint8_t mask,
                          std::string what) {
  message.body.at(index) =
      static_cast<char>(static_cast<std::uint8_t>(message.body.at(index)) ^ mask);
  message.label += " with " + what;
  return message;
}

// Where the payload of top-level field `number` starts in a body framed as byte0 ‖ protobuf
// [‖ trailer of `trailer` bytes].
std::pair<std::size_t, std::size_t> payload_span(const Envelope& message, std::uint32_t number,
                                                 std::size_t trailer) {
  std::string_view proto(message.body);
  proto = proto.substr(1, proto.size() - 1 - trailer);
  for (const auto& field : proto_fields(proto)) {
    if (field.number == number && field.wire_type == 2) {
      return {1 + field.offset + field.size - field.payload.size(), field.payload.size()};
    }
  }
  throw std::invalid_argument("message has no bytes field " + std::to_string(number));
}

class InteropTest : public ::testing::TestWithParam<Roles> {
 protected:
  void SetUp() override {
    for (auto kind : {GetParam().initiator, GetParam().responder}) {
      if (auto why = missing_dependency(kind); !why.empty()) FAIL() << why;
    }
    alice_ = std::make_unique<Party>(GetParam().initiator, "alice", 1);
    bob_ = std::make_unique<Party>(GetParam().responder, "bob", 2);
  }

  // Alice fetches and processes Bob's bundle; no message is sent yet.
  void establish(bool one_time) {
    auto bundle = bob_->bundle(one_time);
    ASSERT_EQ(bundle["pre_key_id"].is_null(), !one_time) << bundle.dump();
    ASSERT_EQ(bundle["pre_key"].is_null(), !one_time) << bundle.dump();
    alice_->process_bundle(*bob_, bundle);
  }

  // Setup, then a PreKey message, a Whisper reply, and a Whisper message: the three kinds of
  // message a new session carries, each checked for type and plaintext.
  void converse_after_setup(bool one_time) {
    establish(one_time);
    auto first = send(*alice_, *bob_);
    EXPECT_EQ(first.type, "prekey");
    ASSERT_TRUE(delivered(*bob_, *alice_, first));
    auto reply = send(*bob_, *alice_);
    EXPECT_EQ(reply.type, "whisper");
    ASSERT_TRUE(delivered(*alice_, *bob_, reply));
    auto next = send(*alice_, *bob_);
    EXPECT_EQ(next.type, "whisper");
    ASSERT_TRUE(delivered(*bob_, *alice_, next));
  }

  // A session set up and acknowledged: Alice's PreKey message reached Bob, Bob's reply reached
  // Alice, so both sides now send Whisper messages.
  void establish_acknowledged() {
    establish(true);
    auto first = send(*alice_, *bob_);
    ASSERT_EQ(first.type, "prekey");
    ASSERT_TRUE(delivered(*bob_, *alice_, first));
    auto reply = send(*bob_, *alice_);
    ASSERT_EQ(reply.type, "whisper");
    ASSERT_TRUE(delivered(*alice_, *bob_, reply));
  }

  // A fresh plaintext: a label, then 0..47 seeded bytes of any value, so lengths straddle the
  // AES block size and every byte value crosses the base64 protocol.
  Envelope send(Party& from, const Party& to) {
    auto label = from.name() + "#" + std::to_string(++sent_);
    std::string text = label + ":";
    for (int n = std::uniform_int_distribution<int>(0, 47)(rng_); n > 0; --n) {
      text += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng_));
    }
    return from.encrypt(to, text, label);
  }

  std::vector<Envelope> burst(Party& from, const Party& to, int count) {
    std::vector<Envelope> messages;
    for (int i = 0; i < count; ++i) messages.push_back(send(from, to));
    return messages;
  }

  void deliver_all(Party& to, const Party& from, const std::vector<Envelope>& messages) {
    for (const auto& message : messages) ASSERT_TRUE(delivered(to, from, message));
  }

  std::mt19937 rng_{0x5EED1u};
  int sent_ = 0;
  std::unique_ptr<Party> alice_;
  std::unique_ptr<Party> bob_;
};

TEST_P(InteropTest, SessionWithOneTimePreKeyCarriesMessagesBothWays) {
  converse_after_setup(/*one_time=*/true);
}

TEST_P(InteropTest, SessionWithoutOneTimePreKeyCarriesMessagesBothWays) {
  converse_after_setup(/*one_time=*/false);
}

TEST_P(InteropTest, SeveralPreKeyMessagesBeforeTheFirstReplyAllDecrypt) {
  establish(true);
  auto early = burst(*alice_, *bob_, 4);
  for (const auto& message : early) EXPECT_EQ(message.type, "prekey") << message.label;
  deliver_all(*bob_, *alice_, early);
  auto reply = send(*bob_, *alice_);
  ASSERT_TRUE(delivered(*alice_, *bob_, reply));
  auto next = send(*alice_, *bob_);
  EXPECT_EQ(next.type, "whisper");
  ASSERT_TRUE(delivered(*bob_, *alice_, next));
}

TEST_P(InteropTest, PingPongTurnsTheRatchetEveryMessage) {
  establish_acknowledged();
  for (int round = 0; round < 12; ++round) {
    auto ping = send(*alice_, *bob_);
    EXPECT_EQ(ping.type, "whisper");
    ASSERT_TRUE(delivered(*bob_, *alice_, ping));
    auto pong = send(*bob_, *alice_);
    EXPECT_EQ(pong.type, "whisper");
    ASSERT_TRUE(delivered(*alice_, *bob_, pong));
  }
}

TEST_P(InteropTest, BurstsOfTwentyDecryptInBothDirections) {
  establish(true);
  for (int round = 0; round < 3; ++round) {
    ASSERT_NO_FATAL_FAILURE(deliver_all(*bob_, *alice_, burst(*alice_, *bob_, 20)));
    ASSERT_NO_FATAL_FAILURE(deliver_all(*alice_, *bob_, burst(*bob_, *alice_, 20)));
  }
}

// Each turn: a shuffled burst each way with some messages held back; the held-back ones, from
// chains the ratchet has long left, arrive at the end. Four turns plus the first chain stay
// within libsignal's five kept receiver chains.
TEST_P(InteropTest, OutOfOrderDeliveryAcrossRatchetTurnsDecrypts) {
  establish_acknowledged();
  std::vector<Envelope> late_to_bob;
  std::vector<Envelope> late_to_alice;
  for (int turn = 0; turn < 4; ++turn) {
    auto to_bob = burst(*alice_, *bob_, 8);
    late_to_bob.push_back(to_bob[5]);
    late_to_bob.push_back(to_bob[2]);
    to_bob.erase(to_bob.begin() + 5);
    to_bob.erase(to_bob.begin() + 2);
    std::shuffle(to_bob.begin(), to_bob.end(), rng_);
    ASSERT_NO_FATAL_FAILURE(deliver_all(*bob_, *alice_, to_bob));

    auto to_alice = burst(*bob_, *alice_, 6);
    late_to_alice.push_back(to_alice[1]);
    to_alice.erase(to_alice.begin() + 1);
    std::shuffle(to_alice.begin(), to_alice.end(), rng_);
    ASSERT_NO_FATAL_FAILURE(deliver_all(*alice_, *bob_, to_alice));
  }
  std::shuffle(late_to_bob.begin(), late_to_bob.end(), rng_);
  std::shuffle(late_to_alice.begin(), late_to_alice.end(), rng_);
  ASSERT_NO_FATAL_FAILURE(deliver_all(*bob_, *alice_, late_to_bob));
  ASSERT_NO_FATAL_FAILURE(deliver_all(*alice_, *bob_, late_to_alice));
  ASSERT_TRUE(delivered(*bob_, *alice_, send(*alice_, *bob_)));
  ASSERT_TRUE(delivered(*alice_, *bob_, send(*bob_, *alice_)));
}

TEST_P(InteropTest, DuplicateMessageIsRejectedAndNextStillDecrypts) {
  establish(true);
  auto first = send(*alice_, *bob_);
  ASSERT_TRUE(delivered(*bob_, *alice_, first));
  EXPECT_TRUE(rejected(*bob_, *alice_, first));  // a replayed PreKey message
  auto reply = send(*bob_, *alice_);
  ASSERT_TRUE(delivered(*alice_, *bob_, reply));
  EXPECT_TRUE(rejected(*alice_, *bob_, reply));
  auto out_of_order = burst(*alice_, *bob_, 3);
  ASSERT_TRUE(delivered(*bob_, *alice_, out_of_order[2]));
  ASSERT_TRUE(delivered(*bob_, *alice_, out_of_order[0]));
  EXPECT_TRUE(rejected(*bob_, *alice_, out_of_order[0]));  // a replayed skipped-key message
  EXPECT_TRUE(rejected(*bob_, *alice_, out_of_order[2]));
  ASSERT_TRUE(delivered(*bob_, *alice_, out_of_order[1]));
  ASSERT_TRUE(delivered(*bob_, *alice_, send(*alice_, *bob_)));
}

TEST_P(InteropTest, TamperedMacIsRejectedAndNextStillDecrypts) {
  establish_acknowledged();
  auto genuine = send(*alice_, *bob_);
  ASSERT_EQ(genuine.type, "whisper");
  for (std::size_t back = 1; back <= 8; ++back) {  // each byte of the 8-byte truncated MAC
    auto index = genuine.body.size() - back;
    EXPECT_TRUE(
        rejected(*bob_, *alice_,
                 with_bit_flipped(genuine, index, 0x01, "MAC byte -" + std::to_string(back))));
  }
  ASSERT_TRUE(delivered(*bob_, *alice_, genuine));
  ASSERT_TRUE(delivered(*bob_, *alice_, send(*alice_, *bob_)));
}

TEST_P(InteropTest, TamperedCiphertextIsRejectedAndNextStillDecrypts) {
  establish_acknowledged();
  auto genuine = send(*alice_, *bob_);
  ASSERT_EQ(genuine.type, "whisper");
  auto [start, size] = payload_span(genuine, 4, 8);  // SignalMessage.ciphertext
  ASSERT_GE(size, 16u);
  for (auto index : {start, start + size / 2, start + size - 1}) {  // last byte: the padding
    EXPECT_TRUE(rejected(
        *bob_, *alice_,
        with_bit_flipped(genuine, index, 0x80, "ciphertext byte " + std::to_string(index))));
  }
  ASSERT_TRUE(delivered(*bob_, *alice_, genuine));
  ASSERT_TRUE(delivered(*alice_, *bob_, send(*bob_, *alice_)));
}

// A forged first message must not leave a session, a trusted identity or a used prekey behind.
TEST_P(InteropTest, TamperedPreKeyMessageIsRejectedAndGenuineStillDecrypts) {
  establish(true);
  auto genuine = send(*alice_, *bob_);
  ASSERT_EQ(genuine.type, "prekey");
  auto [base_key, base_size] = payload_span(genuine, 2, 0);
  auto [identity, identity_size] = payload_span(genuine, 3, 0);
  auto [inner, inner_size] = payload_span(genuine, 4, 0);
  ASSERT_EQ(base_size, 33u);
  ASSERT_EQ(identity_size, 33u);
  EXPECT_TRUE(rejected(*bob_, *alice_, with_bit_flipped(genuine, base_key + 1, 0x01, "base key")));
  EXPECT_TRUE(
      rejected(*bob_, *alice_, with_bit_flipped(genuine, identity + 1, 0x01, "identity key")));
  EXPECT_TRUE(rejected(*bob_, *alice_,
                       with_bit_flipped(genuine, inner + inner_size - 1, 0x01, "inner MAC")));
  ASSERT_TRUE(delivered(*bob_, *alice_, genuine));
  ASSERT_TRUE(delivered(*alice_, *bob_, send(*bob_, *alice_)));
}

TEST_P(InteropTest, WrongVersionByteIsRejectedAndNextStillDecrypts) {
  establish(true);
  auto first = send(*alice_, *bob_);
  ASSERT_EQ(first.type, "prekey");
  ASSERT_EQ(static_cast<std::uint8_t>(first.body.at(0)), 0x44);
  const std::uint8_t versions[] = {0x24, 0x34, 0x54, 0xF4};  // v2, v3 (X3DH), v5, v15
  for (auto version : versions) {
    auto forged = with_bit_flipped(first, 0, static_cast<std::uint8_t>(0x44 ^ version),
                                   "version byte " + std::to_string(version));
    EXPECT_TRUE(rejected(*bob_, *alice_, forged));
  }
  ASSERT_TRUE(delivered(*bob_, *alice_, first));
  ASSERT_TRUE(delivered(*alice_, *bob_, send(*bob_, *alice_)));
  auto whisper = send(*alice_, *bob_);
  ASSERT_EQ(whisper.type, "whisper");
  ASSERT_EQ(static_cast<std::uint8_t>(whisper.body.at(0)), 0x44);
  for (auto version : versions) {
    auto forged = with_bit_flipped(whisper, 0, static_cast<std::uint8_t>(0x44 ^ version),
                                   "version byte " + std::to_string(version));
    EXPECT_TRUE(rejected(*bob_, *alice_, forged));
  }
  ASSERT_TRUE(delivered(*bob_, *alice_, whisper));
}

// PQXDH is mandatory: a PreKey message without its Kyber id and ciphertext (fields 7 and 8), or
// with only one of them, is refused.
TEST_P(InteropTest, PreKeyMessageWithoutKyberIsRejectedAndGenuineStillDecrypts) {
  establish(true);
  auto genuine = send(*alice_, *bob_);
  ASSERT_EQ(genuine.type, "prekey");
  std::string_view proto = std::string_view(genuine.body).substr(1);
  ASSERT_EQ(proto_bytes(proto, 8).size(), 1569u);  // 0x08 ‖ Kyber1024 ciphertext
  for (auto dropped : {std::vector<std::uint32_t>{7, 8}, {7}, {8}}) {
    Envelope forged = genuine;
    forged.body = genuine.body.substr(0, 1) + drop_proto_fields(proto, dropped);
    forged.label += " without field(s) " + std::to_string(dropped.front()) +
                    (dropped.size() > 1 ? "+" + std::to_string(dropped.back()) : "");
    ASSERT_LT(forged.body.size(), genuine.body.size());
    EXPECT_TRUE(rejected(*bob_, *alice_, forged));
  }
  ASSERT_TRUE(delivered(*bob_, *alice_, genuine));
  ASSERT_TRUE(delivered(*alice_, *bob_, send(*bob_, *alice_)));
}

// The displayable number is the same on both sides; the scannable encodings are mirror images
// (each puts its own half first), which is what libsignal's ScannableFingerprint.compare checks.
TEST_P(InteropTest, FingerprintsMatchOnBothSides) {
  establish(true);
  ASSERT_TRUE(delivered(*bob_, *alice_, send(*alice_, *bob_)));  // Bob learns Alice's key here
  auto mine = alice_->fingerprint(*bob_);
  auto theirs = bob_->fingerprint(*alice_);
  auto displayable = text_field(mine, "displayable");
  EXPECT_EQ(displayable.size(), 60u);
  EXPECT_TRUE(std::all_of(displayable.begin(), displayable.end(),
                          [](char c) { return c >= '0' && c <= '9'; }));
  EXPECT_EQ(displayable, text_field(theirs, "displayable"));

  auto scan_mine = base64_decode(text_field(mine, "scannable"));
  auto scan_theirs = base64_decode(text_field(theirs, "scannable"));
  EXPECT_EQ(proto_varint(scan_mine, 1), 2u);  // the fingerprint version
  EXPECT_EQ(proto_varint(scan_theirs, 1), 2u);
  EXPECT_EQ(proto_bytes(scan_mine, 2), proto_bytes(scan_theirs, 3));
  EXPECT_EQ(proto_bytes(scan_mine, 3), proto_bytes(scan_theirs, 2));
  EXPECT_NE(proto_bytes(scan_mine, 2), proto_bytes(scan_mine, 3));
}

// Both start a session at the same time: each processes the other's bundle and sends a
// PreKey message before anything arrives. Each side then holds two sessions; whichever each
// uses, the conversation must carry on in both directions, across later ratchet turns.
TEST_P(InteropTest, SimultaneousInitiationConvergesAndKeepsWorking) {
  alice_->process_bundle(*bob_, bob_->bundle(true));
  bob_->process_bundle(*alice_, alice_->bundle(true));
  auto from_alice = send(*alice_, *bob_);
  auto from_bob = send(*bob_, *alice_);
  ASSERT_EQ(from_alice.type, "prekey");
  ASSERT_EQ(from_bob.type, "prekey");
  ASSERT_TRUE(delivered(*bob_, *alice_, from_alice));
  ASSERT_TRUE(delivered(*alice_, *bob_, from_bob));
  for (int turn = 0; turn < 4; ++turn) {
    ASSERT_TRUE(delivered(*bob_, *alice_, send(*alice_, *bob_)));
    ASSERT_TRUE(delivered(*alice_, *bob_, send(*bob_, *alice_)));
  }
}

// Keys move between libraries: Bob's identity key pair and the records behind his latest
// bundle (libsignal's storage serialisations), parsed by Alice's library and serialised again,
// come back byte for byte, with and without a one-time prekey.
TEST_P(InteropTest, KeyRecordsRoundTripThroughTheOtherLibrary) {
  for (bool one_time : {true, false}) {
    (void)bob_->bundle(one_time);
    auto records = bob_->process().call({{"op", "records"}});
    ASSERT_TRUE(records.value("ok", false)) << records.dump();
    ASSERT_EQ(records["records"]["pre_key"].is_null(), !one_time);
    auto again = alice_->process().call(
        {{"op", "reserialize_records"}, {"records", records["records"]}});
    ASSERT_TRUE(again.value("ok", false)) << again.dump();
    EXPECT_EQ(again["records"], records["records"]);
  }
}

INSTANTIATE_TEST_SUITE_P(Pairs, InteropTest, ::testing::ValuesIn(all_roles()), roles_name);

}  // namespace
}  // namespace bulwark::interop
