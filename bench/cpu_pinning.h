// Pins a benchmark to one CPU, so that its figures and those of the Node peer it starts (which
// inherits the pinning) are single-core figures on a shared machine.
#pragma once

namespace bulwark::bench {

// Pins the process to the first CPU it may run on; prints what it did, or a warning when it
// could not (the figures are then not single-core figures).
void pin_to_one_cpu();

}  // namespace bulwark::bench
