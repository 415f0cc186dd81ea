#include "witness/state.h"

#include <charconv>
#include <optional>

#include "crypto/base64.h"
#include "kt/checkpoint.h"

namespace bulwark::witness {
namespace {

constexpr std::string_view header_line = "bulwark-witness-state v1";

std::optional<std::uint64_t> parse_decimal(std::string_view digits) {
  if (digits.empty() || digits.size() > 20 || (digits.size() > 1 && digits.front() == '0'))
    return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// Reads lines off the front of a text, each required to end in "\n".
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}

  // The value of the next line if it is "<key> <value>".
  std::optional<std::string_view> field(std::string_view key) {
    const auto line = peek();
    if (!line || line->size() <= key.size() + 1 || !line->starts_with(key) ||
        (*line)[key.size()] != ' ')
      return std::nullopt;
    next();
    return line->substr(key.size() + 1);
  }
  bool exact(std::string_view expected) {
    if (peek() != expected) return false;
    next();
    return true;
  }
  [[nodiscard]] bool done() const noexcept { return rest_.empty(); }

 private:
  [[nodiscard]] std::optional<std::string_view> peek() const {
    const auto end = rest_.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    return rest_.substr(0, end);
  }
  void next() { rest_.remove_prefix(rest_.find('\n') + 1); }

  std::string_view rest_;
};

Result<WitnessState> malformed(std::string_view what) {
  return fail(Errc::invalid_encoding, "witness state: " + std::string(what));
}

}  // namespace

bool is_state_text(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.empty() || text.size() > max_bytes) return false;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::string encode_witness_state(const WitnessState& state) {
  if (!is_state_text(state.log_vkey, log_vkey_max_bytes) || state.size > kt::checkpoint_max_size ||
      (state.in_alarm() && !is_state_text(state.alarm, alarm_reason_max_bytes)))
    contract_violation("witness::encode_witness_state: state breaks its invariants");
  std::string out(header_line);
  out += "\nlog " + state.log_vkey + "\n";
  if (state.kind != LogKind::kt) out += "kind " + std::string(log_kind_name(state.kind)) + "\n";
  out += "size " + std::to_string(state.size) + "\n";
  out += "root " + crypto::base64_encode(view_of(state.root)) + "\n";
  if (state.in_alarm()) out += "alarm " + state.alarm + "\n";
  return out;
}

Result<WitnessState> parse_witness_state(std::string_view text) {
  if (text.size() > state_max_bytes) return fail(Errc::invalid_length, "witness state: too long");
  LineReader lines(text);
  if (!lines.exact(header_line)) return malformed("not a v1 state file");
  WitnessState state;
  const auto log = lines.field("log");
  if (!log || !is_state_text(*log, log_vkey_max_bytes)) return malformed("bad log line");
  state.log_vkey = std::string(*log);
  if (const auto kind_text = lines.field("kind")) {
    const auto kind = parse_log_kind(*kind_text);
    if (!kind || *kind == LogKind::kt) return malformed("bad kind line");
    state.kind = *kind;
  }
  const auto size_text = lines.field("size");
  const auto size = size_text ? parse_decimal(*size_text) : std::nullopt;
  if (!size || *size > kt::checkpoint_max_size) return malformed("bad size line");
  state.size = *size;
  const auto root_text = lines.field("root");
  if (!root_text) return malformed("bad root line");
  const auto root_bytes = crypto::base64_decode(*root_text);
  if (!root_bytes) return malformed("bad root line");
  const auto root = kt::to_hash(*root_bytes);
  if (!root) return malformed("bad root line");
  state.root = *root;
  if (const auto alarm = lines.field("alarm")) {
    if (!is_state_text(*alarm, alarm_reason_max_bytes)) return malformed("bad alarm line");
    state.alarm = std::string(*alarm);
  }
  if (!lines.done()) return malformed("unexpected line");
  return state;
}

}  // namespace bulwark::witness
