// Every process the benchmark starts (the server, idle-connection workers) is registered here
// so that nothing outlives the run: on SIGINT, SIGTERM, the whole-run time limit (SIGALRM) or
// a crash, the handler SIGKILLs them all and exits. Children also get PR_SET_PDEATHSIG, which
// covers the generator being killed outright (SIGKILL cannot be caught).
#pragma once

#include <sys/types.h>

namespace bulwark::loadgen {

// Installs the handlers and arms the time limit (alarm) of the whole run. `program` names the
// benchmark in the message printed when the guard kills its children (a string literal).
void install_child_guard(unsigned time_limit_seconds, const char* program = "bulwark-loadgen");
void guard_child(pid_t pid);
void unguard_child(pid_t pid);

// In a freshly forked child: forgets the parent's guarded processes, restores default signal
// handling and dies with its parent. False when the parent is already gone.
bool become_guarded_child(pid_t parent);

}  // namespace bulwark::loadgen
