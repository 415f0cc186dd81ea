// The cluster benchmark's charts, drawn by gnuplot (gnuplot-nox) into the results directory:
// cluster-latency.{png,svg}, the delivery latency CDFs (the SQLite baseline, same node, across
// nodes) on a log scale, and cluster-throughput.{png,svg}, delivered messages per second of each
// run. The points go to cluster-latency.dat and cluster-throughput.dat beside them.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace bulwark::loadgen::cluster {

struct CdfSeries {
  std::string title;
  std::vector<std::pair<double, double>> points;  // (quantile, ms), as Latencies::cdf
};

// False when gnuplot is missing or fails (said on stderr); the .dat files are written anyway.
bool draw_cluster_charts(const std::filesystem::path& dir, const std::string& subtitle,
                         const std::vector<CdfSeries>& latency,
                         const std::vector<std::pair<std::string, double>>& throughput);

}  // namespace bulwark::loadgen::cluster
