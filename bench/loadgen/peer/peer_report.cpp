#include "peer/peer_report.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace bulwark::loadgen::peer {

void Latencies::sort() { std::sort(samples_.begin(), samples_.end()); }

double Latencies::percentile_ms(double p) const {
  if (samples_.empty()) return -1;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(samples_.size() - 1) + 0.5);
  return static_cast<double>(samples_[index]) / 1e6;
}

double Latencies::max_ms() const {
  return samples_.empty() ? -1 : static_cast<double>(samples_.back()) / 1e6;
}

std::vector<std::pair<double, double>> Latencies::cdf(std::size_t points) const {
  std::vector<std::pair<double, double>> out;
  if (samples_.empty() || points < 2) return out;
  // Denser towards the tail, where the charts look: 1 - 10^-k spacing after the median.
  for (std::size_t i = 0; i < points; ++i) {
    const double q = static_cast<double>(i) / static_cast<double>(points - 1);
    out.emplace_back(q, percentile_ms(q));
  }
  for (double tail : {0.95, 0.99, 0.995, 0.999, 0.9999})
    out.emplace_back(tail, percentile_ms(tail));
  std::sort(out.begin(), out.end());
  return out;
}

void PeerReport::add(const std::string& key, const std::string& value) {
  values_.emplace_back(key, value);
}

void PeerReport::add(const std::string& key, double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  values_.emplace_back(key, text);
}

void PeerReport::add_count(const std::string& key, std::uint64_t value) {
  values_.emplace_back(key, std::to_string(value));
}

void PeerReport::add_cdf(const std::string& phase, std::vector<std::pair<double, double>> points) {
  cdfs_.emplace_back(phase, std::move(points));
}

void PeerReport::print_new() {
  for (; printed_ < values_.size(); ++printed_)
    std::printf("%s=%s\n", values_[printed_].first.c_str(), values_[printed_].second.c_str());
  std::fflush(stdout);
}

bool PeerReport::write_json(const std::filesystem::path& file) const {
  nlohmann::ordered_json json;
  for (const auto& [key, value] : values_) {
    // Numbers as numbers, so that the comparison script need not guess.
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (!value.empty() && end != nullptr && *end == '\0') {
      json["values"][key] = number;
    } else {
      json["values"][key] = value;
    }
  }
  for (const auto& [phase, points] : cdfs_) {
    auto& list = json["latency_cdf_ms"][phase];
    list = nlohmann::ordered_json::array();
    for (const auto& [q, ms] : points) list.push_back({q, ms});
  }
  std::ofstream out(file);
  out << json.dump(1) << "\n";
  return static_cast<bool>(out);
}

}  // namespace bulwark::loadgen::peer
