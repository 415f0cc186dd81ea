// How fast the server's CPU is right now, measured the same way before every round: SHA-256
// over a 64 KiB buffer for 100 ms on a thread pinned to that CPU, while the server is idle.
// This machine's host lends its cores unevenly over the day (the same build has measured 26k
// and 18k msgs/s hours apart), and the guest sees none of it as steal time; a round whose
// reference speed fell shows that the host, not the build, changed.
#pragma once

namespace bulwark::loadgen {

// MB/s of SHA-256 on `cpu`; 0 if the thread could not be pinned there.
[[nodiscard]] double reference_speed_mb_per_s(int cpu);

}  // namespace bulwark::loadgen
