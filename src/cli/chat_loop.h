// The loop shared by `chat PEER` and `group chat GROUP`: each line typed on stdin is sent;
// what arrives meanwhile is printed as `receive` prints it. Ends at end of input (Ctrl-D).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/output.h"
#include "client/client.h"
#include "common/result.h"

namespace bulwark::cli {

// Longer lines are refused (the server would refuse the message anyway).
inline constexpr std::size_t max_chat_line_bytes = 64 * 1024;

struct ChatHandlers {
  // Sends one non-empty line; returns what json mode prints for it (text mode prints nothing:
  // the line is on the screen already).
  std::function<Result<nlohmann::json>(const std::string& line)> send;
  // Optional: sees each arriving event after it was printed.
  std::function<void(const client::ReceiveEvent& event)> on_event;
};

// exit_ok, or the exit code of the last failure (a network failure ends the chat at once).
[[nodiscard]] int run_chat_loop(client::Client& client, const ChatHandlers& handlers,
                                const Output& out);

}  // namespace bulwark::cli
