// PeerReport: the peer scenario's figures as ordered `key=value` lines, named exactly as the
// XMPP harness names them (/work/shared/peers/xmpp_bench.sh and xmpp_load.c), so that one
// script can put Bulwark and ejabberd side by side. Also written as one JSON object, with the
// latency distributions of the relay phases for the charts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace bulwark::loadgen::peer {

// Latencies of delivered messages (ns), sorted ascending, and the harness's percentile rule:
// element round(p * (n - 1)), in milliseconds; -1 when there are none.
class Latencies {
 public:
  void reserve(std::size_t count) { samples_.reserve(count); }
  void add(std::uint64_t nanoseconds) { samples_.push_back(nanoseconds); }
  void sort();
  [[nodiscard]] std::size_t count() const noexcept { return samples_.size(); }
  [[nodiscard]] double percentile_ms(double p) const;
  [[nodiscard]] double max_ms() const;
  // About `points` (quantile, ms) pairs along the distribution, for a CDF chart.
  [[nodiscard]] std::vector<std::pair<double, double>> cdf(std::size_t points) const;

 private:
  std::vector<std::uint64_t> samples_;
};

class PeerReport {
 public:
  void add(const std::string& key, const std::string& value);
  void add(const std::string& key, double value, int decimals);
  void add_count(const std::string& key, std::uint64_t value);
  // The CDF of one relay phase ("relay" or "relay_w1"), for the JSON only.
  void add_cdf(const std::string& phase, std::vector<std::pair<double, double>> points);

  // Prints the lines not yet printed (each phase prints as it ends).
  void print_new();
  [[nodiscard]] bool write_json(const std::filesystem::path& file) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> cdfs_;
  std::size_t printed_ = 0;
};

}  // namespace bulwark::loadgen::peer
