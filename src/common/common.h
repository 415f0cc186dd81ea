// Umbrella header of the common module: bytes, secrets, results, ids, clock, rng, codec.
#pragma once

#include "common/bytes.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/reader.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "common/writer.h"
