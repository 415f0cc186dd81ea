// bulwark-admin's moderation subcommands (admin_moderation.cpp; docs/MODERATION.md).
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/output.h"

namespace bulwark::cli {

struct AdminCommand {
  CLI::App* app = nullptr;
  std::function<int(const Output&)> run;
};
using AdminCommands = std::vector<AdminCommand>;

void add_admin_moderation_commands(CLI::App& app, AdminCommands& commands);

}  // namespace bulwark::cli
