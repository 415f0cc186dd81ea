// The protocol module's umbrella header: Signal 1:1 sessions (PQXDH + Double Ratchet,
// libsignal 0.90.0 wire-compatible), their stores, and safety numbers.
#pragma once

#include "protocol/address.h"
#include "protocol/fingerprint.h"
#include "protocol/keys.h"
#include "protocol/memory_store.h"
#include "protocol/message.h"
#include "protocol/prekey_codec.h"
#include "protocol/prekeys.h"
#include "protocol/session/session_builder.h"
#include "protocol/session/session_cipher.h"
#include "protocol/state/record_codec.h"
#include "protocol/store.h"
