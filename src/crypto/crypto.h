// Umbrella header of the crypto module: every primitive Bulwark uses, as thin safe wrappers.
// This module is the only one that includes libsodium or OpenSSL crypto headers.
#pragma once

#include "crypto/aead.h"
#include "crypto/base64.h"
#include "crypto/cbc.h"
#include "crypto/compare.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "crypto/kem.h"
#include "crypto/mac.h"
#include "crypto/random.h"
#include "crypto/vrf.h"
#include "crypto/x25519.h"
#include "crypto/xeddsa.h"
