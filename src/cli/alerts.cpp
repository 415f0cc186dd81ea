#include "cli/alerts.h"

#include <iostream>

namespace bulwark::cli {
namespace {

// One process runs one command: the alerts of the sessions it opened wait here for main().
std::vector<client::KtAlert>& collected() {
  static std::vector<client::KtAlert> alerts;
  return alerts;
}

}  // namespace

void collect_alerts(const std::vector<client::KtAlert>& alerts) {
  auto& all = collected();
  all.insert(all.end(), alerts.begin(), alerts.end());
}

int report_alerts(const Output& out, int code) {
  const auto& alerts = collected();
  if (alerts.empty()) return code;
  std::cerr << "\n"
            << "!!! ===================== KEY TRANSPARENCY ALERT ===================== !!!\n";
  for (const client::KtAlert& alert : alerts) {
    std::cerr << "!!! [" << alert.kind << "] account " << alert.account << ":\n!!!   "
              << alert.message << "\n";
    if (out.json()) {
      out.emit({{"type", "kt_alert"}, {"kind", alert.kind}, {"account", alert.account},
                {"message", alert.message}},
               "");
    }
  }
  std::cerr << "!!! Someone may be trying to read your messages. Compare safety numbers in\n"
            << "!!! person, and see `bulwark keys verify`.\n"
            << "!!! =================================================================== !!!\n";
  return exit_untrusted;
}

}  // namespace bulwark::cli
