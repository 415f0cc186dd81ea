// bulwark-loadgen-peer: the peer scenario of /work/shared/peers/README.md against
// bulwark-server (bench/loadgen/README.md, "Peer scenario"), printing the XMPP harness's
// key=value names so that bench/compare-ejabberd can put both servers side by side. A separate
// binary from bulwark-loadgen: that one pins, raises its priority and judges the server issue's
// goals; this one mirrors ejabberd's placement and the harness's output, and shares only the
// connection, registration and /proc code (bulwark_loadgen_core). Exit code 0 when every phase
// ran, 2 otherwise.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "child_guard.h"
#include "peer/peer_options.h"
#include "peer/peer_phases.h"
#include "proc_stats.h"
#include "run_files.h"

namespace bulwark::loadgen::peer {
namespace {

std::string load_average_1m() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first;
}

void add_header(PeerReport& report, const PeerOptions& options) {
  report.add_count("machine_cores", static_cast<std::uint64_t>(::sysconf(_SC_NPROCESSORS_ONLN)));
  report.add("scenario", "idle:" + std::to_string(options.idle_clients) +
                             " relay:" + std::to_string(options.relay_clients) + "x" +
                             std::to_string(options.relay_msgs) + "@w" +
                             std::to_string(options.relay_window) +
                             " body:" + std::to_string(options.body_bytes) + "B");
  report.add("server", "bulwark");
  report.add("server_version", options.server_version);
  report.add("proto", options.tls ? "bulwark-wss" : "bulwark-ws");
  report.add("placement", "unpinned");
  report.add_count("server_threads", options.server_threads);
  report.add("durability", "sqlite-synchronous-full-group-commit");
  report.add("franking", options.franking ? "on" : "off");
  report.print_new();
}

int run(const PeerOptions& options, const std::filesystem::path& work_dir) {
  PeerReport report;
  add_header(report, options);
  double idle_cpu = 0, relay_cpu = 0;
  if (options.idle_clients > 0) {
    if (!run_idle_phase(options, work_dir, report, idle_cpu)) return 2;
    report.print_new();
  }
  const bool relayed = run_relay_phases(options, work_dir, report, relay_cpu);
  report.add("server_cpu_total_s", idle_cpu + relay_cpu, 3);
  report.add("loadavg_1m", load_average_1m());
  report.print_new();
  if (!options.json_file.empty() && !report.write_json(options.json_file))
    std::fprintf(stderr, "bulwark-loadgen-peer: cannot write %s\n", options.json_file.c_str());
  return relayed ? 0 : 2;
}

}  // namespace
}  // namespace bulwark::loadgen::peer

int main(int argc, char** argv) {
  using namespace bulwark::loadgen;
  const peer::PeerOptions options = peer::parse_peer_options(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  raise_open_files_limit();  // before the servers start: they inherit it
  const std::filesystem::path work_dir = make_work_dir(options.work_dir, "bulwark-loadgen-peer");
  if (work_dir.empty()) {
    std::fprintf(stderr, "bulwark-loadgen-peer: cannot create a work directory\n");
    return 2;
  }
  install_child_guard(options.time_limit_s, "bulwark-loadgen-peer");
  const int status = peer::run(options, work_dir);
  if (!options.keep_work_dir && options.work_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir, ignored);
  }
  return status;
}
