#include "cluster/cluster_chart.h"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace bulwark::loadgen::cluster {
namespace {

bool run_gnuplot(const std::string& script) {
  FILE* pipe = ::popen("gnuplot 2>&1", "w");
  if (pipe == nullptr) return false;
  std::fwrite(script.data(), 1, script.size(), pipe);
  const int status = ::pclose(pipe);
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string latency_script(const std::filesystem::path& dir, const std::string& terminal,
                           const std::string& suffix, const std::string& subtitle,
                           const std::vector<CdfSeries>& series) {
  static const char* const colours[] = {"#7f7f7f", "#1f77b4", "#d62728", "#2ca02c"};
  std::ostringstream out;
  out << "set terminal " << terminal << " noenhanced\n"
      << "set output '" << (dir / ("cluster-latency." + suffix)).string() << "'\n"
      << "set title \"Delivery latency, window 1: same node vs across nodes\\n"
      << subtitle << "\"\nset logscale x\nset xlabel 'latency, ms (log scale)'\n"
      << "set ylabel 'fraction of messages delivered within'\nset yrange [0:1.02]\n"
      << "set key bottom right\nset grid\nplot ";
  for (std::size_t i = 0; i < series.size(); ++i) {
    out << (i > 0 ? ", " : "") << "'" << (dir / "cluster-latency.dat").string() << "' index " << i
        << " using 1:2 with lines lw 2 lc rgb '" << colours[i % 4] << "' title '" << series[i].title
        << "'";
  }
  out << "\n";
  return out.str();
}

std::string throughput_script(const std::filesystem::path& dir, const std::string& terminal,
                              const std::string& suffix, const std::string& subtitle) {
  std::ostringstream out;
  out << "set terminal " << terminal << " noenhanced\n"
      << "set output '" << (dir / ("cluster-throughput." + suffix)).string() << "'\n"
      << "set title \"Delivered messages per second, window 1\\n"
      << subtitle << "\"\n"
      << "set style data histograms\nset style fill solid 0.8 border -1\n"
      << "set ylabel 'delivered messages per second'\nset yrange [0:*]\nset grid ytics\n"
      << "set boxwidth 0.6\nunset key\n"
      << "plot '" << (dir / "cluster-throughput.dat").string()
      << "' using 2:xtic(1) lc rgb '#1f77b4'\n";
  return out.str();
}

}  // namespace

bool draw_cluster_charts(const std::filesystem::path& dir, const std::string& subtitle,
                         const std::vector<CdfSeries>& latency,
                         const std::vector<std::pair<std::string, double>>& throughput) {
  {
    std::ofstream data(dir / "cluster-latency.dat");
    for (const CdfSeries& one : latency) {
      data << "# " << one.title << ": ms quantile\n";
      for (const auto& [quantile, ms] : one.points)
        if (ms > 0) data << ms << " " << quantile << "\n";
      data << "\n\n";
    }
    std::ofstream bars(dir / "cluster-throughput.dat");
    for (const auto& [name, rate] : throughput) bars << "\"" << name << "\" " << rate << "\n";
  }
  bool ok = true;
  for (const auto& [terminal, suffix] :
       {std::pair<std::string, std::string>{"pngcairo size 900,520", "png"},
        std::pair<std::string, std::string>{"svg size 900,520", "svg"}}) {
    ok = ok && run_gnuplot(latency_script(dir, terminal, suffix, subtitle, latency)) &&
         run_gnuplot(throughput_script(dir, terminal, suffix, subtitle));
  }
  if (!ok)
    std::fprintf(stderr,
                 "[bulwark-loadgen-cluster] gnuplot failed or is missing "
                 "(apt-get install gnuplot-nox); the charts were not drawn\n");
  return ok;
}

}  // namespace bulwark::loadgen::cluster
