// Client bytes on a WebSocket, through the server's frame parser (server/websocket/): the first
// thing the server does with anything a connection sends after the handshake.
//
// Oracle (differential): the input fed whole and fed in pieces (cut where the input's first
// bytes say) gives the same events and the same verdict; no message exceeds the limit; no
// control payload exceeds 125 bytes.
#include "fuzz_target.h"

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "server/websocket/frame_parser.h"

namespace {

namespace ws = bulwark::server::websocket;

void must(bool condition) {
  if (!condition) std::abort();
}

constexpr std::size_t max_message = 4096;

struct Recorded {
  std::vector<std::pair<int, std::string>> events;
  std::optional<std::uint16_t> violation;
};

class Recorder : public ws::FrameSink {
 public:
  explicit Recorder(Recorded& out) : out_(out) {}
  bool on_event(const ws::Event& event) override {
    bool control = event.kind == ws::Event::Kind::ping || event.kind == ws::Event::Kind::pong ||
                   event.kind == ws::Event::Kind::close;
    must(event.payload.size() <= (control ? 125u : max_message));
    out_.events.emplace_back(static_cast<int>(event.kind), std::string(event.payload));
    return event.kind != ws::Event::Kind::close;  // a connection stops at a close
  }

 private:
  Recorded& out_;
};

Recorded run(std::string bytes, const std::vector<std::size_t>& cuts) {
  Recorded out;
  Recorder sink(out);
  ws::FrameParser parser(max_message);
  std::size_t at = 0;
  for (std::size_t i = 0; i <= cuts.size() && at <= bytes.size(); ++i) {
    std::size_t end = i < cuts.size() ? std::min(bytes.size(), at + cuts[i]) : bytes.size();
    auto violation = parser.feed(std::span<char>(bytes.data() + at, end - at), sink);
    if (violation) {
      must(!violation->reason.empty());
      out.violation = violation->close_code;
      return out;
    }
    if (!out.events.empty() && out.events.back().first == static_cast<int>(ws::Event::Kind::close))
      return out;
    at = end;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose the piece sizes; the rest is the stream.
  std::size_t piece = 1 + data[0] % 64;
  std::size_t jitter = data[1];
  std::string stream(reinterpret_cast<const char*>(data + 2), size - 2);
  std::vector<std::size_t> cuts;
  for (std::size_t total = 0, i = 0; total < stream.size(); ++i) {
    std::size_t cut = piece + (jitter * (i + 1)) % 7;
    cuts.push_back(cut);
    total += cut;
  }
  Recorded whole = run(stream, {});
  Recorded pieces = run(stream, cuts);
  must(whole.violation == pieces.violation);
  must(whole.events == pieces.events);
  return 0;
}
