// bulwark-admin's lawful-request and transparency subcommands (admin_lawful.cpp;
// docs/LAWFUL.md).
#pragma once

#include "cli/admin_moderation.h"

namespace bulwark::cli {

void add_admin_lawful_commands(CLI::App& app, AdminCommands& commands);

}  // namespace bulwark::cli
