// Every RFC 9420 wire structure, for code that needs more than one of them.
//
// Conventions of every file in messages/: each struct Foo has
//   void encode(TlsWriter&, const Foo&);  [[nodiscard]] Result<Foo> decode_foo(TlsReader&);
// and top-level ones also serialize(const Foo&) -> Result<Bytes> and
// deserialize_foo(ByteView) -> Result<Foo> (the whole input, no trailing bytes). Decoders are
// strict (limits.h bounds, RFC-invalid values refused, one encoding per value); encoders
// reject (invalid_argument) a value the decoders would not produce.
#pragma once

#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/credential.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/framing.h"
#include "protocol/mls/messages/group_context.h"
#include "protocol/mls/messages/group_info.h"
#include "protocol/mls/messages/group_secrets.h"
#include "protocol/mls/messages/key_package.h"
#include "protocol/mls/messages/known_extensions.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/mls_message.h"
#include "protocol/mls/messages/private_message.h"
#include "protocol/mls/messages/proposals.h"
#include "protocol/mls/messages/psk_id.h"
#include "protocol/mls/messages/ratchet_tree.h"
#include "protocol/mls/messages/types.h"
#include "protocol/mls/messages/welcome.h"
