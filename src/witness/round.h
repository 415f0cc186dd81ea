// One round of the witness's loop: fetch the newest checkpoint, audit and cosign it
// (witness.h), store the new state durably, and only then hand the cosignature to the
// server. A crash between the store and the send loses one cosignature, which the next
// round sends again (the same tree may be cosigned again); the reverse order could lose the
// record of a cosignature already out, and with it the guarantee never to cosign another
// tree of that size.
#pragma once

#include <cstdint>
#include <functional>

#include "common/result.h"
#include "witness/log_source.h"
#include "witness/witness.h"

namespace bulwark::witness {

// Stores the state durably (state_file.h's save_state in production).
using StateSaver = std::function<Result<void>(const WitnessState&)>;

enum class RoundOutcome {
  nothing_new,  // the log is empty, or its newest checkpoint is the one last cosigned
  cosigned,     // the newest checkpoint was cosigned and the server accepted it
  alarm,        // the witness is in alarm (raised now or before): it cosigns nothing
};

struct RoundReport {
  RoundOutcome outcome = RoundOutcome::nothing_new;
  std::uint64_t size = 0;  // of the checkpoint cosigned
};

// Errors are those of the source, the saver and Witness::observe that are not alarms; an
// alarm is stored (the saver's error is returned if that fails) and reported as an outcome.
[[nodiscard]] Result<RoundReport> run_round(Witness& witness, LogSource& source,
                                            const StateSaver& save);

}  // namespace bulwark::witness
