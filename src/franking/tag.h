// The sender's side of message franking: a commitment to one message that its recipient can
// later open to the operator, proving who sent what, while the operator never reads the chat.
//
// For each message the sender draws a fresh franking key, puts it inside the encrypted content,
// and sends the franking tag in the clear beside the ciphertext:
//
//   tag = HMAC-SHA256(key, "bulwark-franking-tag-v1" || u8 len sender || sender ||
//                          u8 len conversation || conversation || u8 len message id ||
//                          message id || previous tag (32) || u32 len content || content)
//
// HMAC-SHA256 with the key as the opening is a committing construction: opening one tag to two
// different contents (with any keys) would need a SHA-256 collision. That is what AES-GCM
// franking lacks ("invisible salamanders", Dodis-Grubbs-Ristenpart-Woodage 2018): there a
// ciphertext can decrypt to a harmless text for the checker and an abusive one for the victim.
// The recipient checks opens() on every message it decrypts and drops one whose tag its content
// does not open, so what it can report is exactly what it was shown.
//
// `previous` is the tag of the same sender's previous message in the conversation (zeros for
// the first): consecutive messages form a chain, so a report with context proves their order.
#pragma once

#include <array>
#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"

namespace bulwark::franking {

inline constexpr std::size_t key_bytes = 32;
inline constexpr std::size_t tag_bytes = 32;
// Sender, conversation and message ids are short identifiers; contents are bounded by the
// largest message a client sends.
inline constexpr std::size_t max_id_bytes = 64;
inline constexpr std::size_t max_content_bytes = 256 * 1024;

using FrankingKey = std::array<std::byte, key_bytes>;
using FrankingTag = std::array<std::byte, tag_bytes>;

// What a tag commits to.
struct Franked {
  ByteView sender;        // the sender's account id
  ByteView conversation;  // the conversation's id, as both ends name it
  ByteView message_id;    // unique within the conversation
  ByteView content;       // the plaintext content, as the recipient decrypts it
  FrankingTag previous{};  // the sender's previous tag in this conversation; zeros for the first
};

[[nodiscard]] FrankingKey new_franking_key(Rng& rng);

// The conversation id of a 1:1 chat, as both ends and the server compute it: the two account
// ids, the smaller (bytewise) first.
[[nodiscard]] Bytes one_to_one_conversation(ByteView account, ByteView other);

// Errc::invalid_length when an id or the content is over its bound.
[[nodiscard]] Result<FrankingTag> franking_tag(const FrankingKey& key, const Franked& message);

// Whether `key` and `message` open `tag` (constant time in the tag).
[[nodiscard]] bool opens(const FrankingTag& tag, const FrankingKey& key, const Franked& message);

}  // namespace bulwark::franking
