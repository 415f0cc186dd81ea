// Key-transparency alerts (client::KtAlert) as the CLI reports them: whichever command
// opened the account, when its client raised an alert the user is told loudly on stderr, a
// {"type":"kt_alert",...} event goes to stdout in json mode, and the command exits with 4
// (the untrusted-identity code) whatever else it did.
#pragma once

#include <vector>

#include "cli/output.h"
#include "client/client.h"

namespace bulwark::cli {

// Collects a closing session's alerts (Session's destructor calls it).
void collect_alerts(const std::vector<client::KtAlert>& alerts);
// Reports what was collected and returns exit_untrusted if there was anything, else `code`.
[[nodiscard]] int report_alerts(const Output& out, int code);

}  // namespace bulwark::cli
