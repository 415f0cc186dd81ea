// Message franking on the client (docs/FRANKING.md): what sending.cpp, receiving.cpp and
// reporting.cpp share.
#pragma once

#include "api/proto/api.pb.h"
#include "client/content.h"
#include "client/detail/client_impl.h"
#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "franking/tag.h"

namespace bulwark::client::detail {

inline constexpr std::size_t franking_message_id_bytes = 16;

// The id both ends give a 1:1 conversation: the two account ids, the smaller first.
[[nodiscard]] Bytes conversation_id(ByteView account, ByteView other);

// Commits to `content` (its body) as a message from this device to `peer`: draws the franking
// key and message id into `content`, chains it to this device's previous tag in the
// conversation, records the new tag as the latest (before sending: a send whose answer is lost
// must not fork the chain) and returns it for the envelope.
[[nodiscard]] Result<franking::FrankingTag> frank_outgoing(Client::Impl& impl, ByteView peer,
                                                           Content& content);

// The server's stamp-signing key: pinned at registration, or fetched (and pinned) on first use
// by a device registered before franking.
[[nodiscard]] Result<crypto::Ed25519PublicKey> franking_server_key(Client::Impl& impl);

// Checks a decrypted message's franking: its content opens the envelope's tag, and the
// envelope's stamp is the server's, made no earlier than the server accepted the envelope. Errc::auth_failed, with a
// reason fit for the user, when not: such a message is dropped, because it could not be
// reported. Returns the opening to keep with the message (seq left 0).
[[nodiscard]] Result<InboxFranking> check_incoming(const crypto::Ed25519PublicKey& server_key,
                                                   const api::Envelope& envelope,
                                                   const Content& content, ByteView recipient);

}  // namespace bulwark::client::detail
