#include "server_metrics.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

namespace bulwark::loadgen {
namespace {

MetricValues parse(const std::string& body) {
  MetricValues out;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("bulwark_", 0) != 0) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    out[line.substr(8, space - 8)] = std::stod(line.substr(space + 1));
  }
  return out;
}

}  // namespace

MetricValues fetch_metrics(const TlsClientContext& tls, const ServerAddress& server) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string response;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server.address), sizeof server.address) ==
      0) {
    SSL* ssl = SSL_new(tls.native());
    SSL_set_fd(ssl, fd);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
    if (SSL_connect(ssl) == 1) {
      const std::string request =
          "GET /metrics HTTP/1.1\r\nHost: " + server.host_header + "\r\nConnection: close\r\n\r\n";
      SSL_write(ssl, request.data(), static_cast<int>(request.size()));
      char buffer[8192];
      for (int got; (got = SSL_read(ssl, buffer, sizeof buffer)) > 0;)
        response.append(buffer, static_cast<std::size_t>(got));
    }
    SSL_free(ssl);
  }
  ::close(fd);
  const std::size_t body = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.1 200", 0) != 0 || body == std::string::npos) {
    std::fprintf(stderr, "loadgen: could not read /metrics\n");
    return {};
  }
  return parse(response.substr(body + 4));
}

double metric_delta(const MetricValues& before, const MetricValues& after,
                    const std::string& name) {
  const auto a = after.find(name);
  const auto b = before.find(name);
  return (a == after.end() ? 0.0 : a->second) - (b == before.end() ? 0.0 : b->second);
}

}  // namespace bulwark::loadgen
