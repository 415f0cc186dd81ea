#include "cli/chat_loop.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>

#include "cli/render.h"

namespace bulwark::cli {
namespace {

constexpr auto receive_window = std::chrono::milliseconds(250);

bool stdin_readable() {
  pollfd fd{STDIN_FILENO, POLLIN, 0};
  return ::poll(&fd, 1, 0) > 0;
}

// Lines typed on stdin, read straight from the descriptor: std::cin reads ahead, so poll() on
// descriptor 0 would not see lines already sitting in its buffer, and they would wait for the
// next keystroke.
class StdinLines {
 public:
  // Takes whatever can be read without blocking.
  void pump() {
    while (!eof_ && stdin_readable()) {
      char chunk[4096];
      ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        eof_ = true;
        break;
      }
      pending_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // The next complete line (the last one may lack its newline), or nothing yet. A line over
  // max_chat_line_bytes comes back as std::nullopt in `too_long` and is dropped.
  std::optional<std::string> next(bool& too_long) {
    too_long = false;
    std::size_t end = pending_.find('\n');
    if (end == std::string::npos) {
      if (pending_.size() > max_chat_line_bytes) {
        pending_.clear();
        skipping_ = true;  // drop the rest of this line too
        too_long = true;
        return std::nullopt;
      }
      if (!eof_ || pending_.empty()) return std::nullopt;
      end = pending_.size();
    }
    std::string line = pending_.substr(0, end);
    pending_.erase(0, std::min(end + 1, pending_.size()));
    if (skipping_) {
      skipping_ = false;
      return std::string();
    }
    if (line.size() > max_chat_line_bytes) {
      too_long = true;
      return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  [[nodiscard]] bool finished() const { return eof_ && pending_.empty(); }

 private:
  std::string pending_;
  bool eof_ = false;
  bool skipping_ = false;
};

}  // namespace

int run_chat_loop(client::Client& client, const ChatHandlers& handlers, const Output& out) {
  int status = exit_ok;
  StdinLines input;
  for (;;) {
    input.pump();
    bool too_long = false;
    for (auto line = input.next(too_long); line || too_long; line = input.next(too_long)) {
      if (too_long) {
        status = out.error(Error{Errc::invalid_argument, "line too long: not sent"});
        continue;
      }
      if (line->empty()) continue;
      auto sent = handlers.send(*line);
      if (!sent) {
        status = out.error(sent.error());
        if (status == exit_network) return status;
      } else if (out.json()) {
        out.emit(*sent, "");
      }
    }
    if (input.finished()) return status;
    auto received = client.receive(receive_window, [&](const client::ReceiveEvent& event) {
      if (event.kind == client::ReceiveEvent::Kind::queue_empty) return true;
      out.emit(event_json(event), event_text(event));
      if (handlers.on_event) handlers.on_event(event);
      return !stdin_readable();  // typing wins: go send it
    });
    if (!received) return out.error(received.error());
  }
}

}  // namespace bulwark::cli
