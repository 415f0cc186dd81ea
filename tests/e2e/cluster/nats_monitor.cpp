#include "cluster/nats_monitor.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "support/wait.h"

namespace bulwark::e2e {
namespace {

// One HTTP/1.0 GET (the server closes after the answer); the body, or "" when the connection
// failed (the monitoring listener may still be starting: the caller polls).
std::string monitor_get(std::uint16_t port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval limit{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (;;) {
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) break;
        response.append(buffer, static_cast<std::size_t>(got));
      }
    }
  }
  ::close(fd);
  const auto body = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || response.find(" 200 ") == std::string::npos ||
      body == std::string::npos)
    return {};
  return response.substr(body + 4);
}

}  // namespace

NatsSubscriptions nats_subscriptions_at(std::uint16_t monitor_port,
                                        std::chrono::milliseconds timeout) {
  if (monitor_port == 0) throw std::runtime_error("nats-server was started without monitoring");
  std::string body;
  if (!poll_until(timeout, [&] {
        body = monitor_get(monitor_port, "/connz?subs=1&limit=1024");
        return !body.empty();
      })) {
    throw std::runtime_error("nats-server monitoring on port " + std::to_string(monitor_port) +
                             " did not answer GET /connz");
  }
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.contains("connections") || !json["connections"].is_array())
    throw std::runtime_error("nats-server /connz: unexpected answer: " + body.substr(0, 200));
  NatsSubscriptions subscriptions;
  for (const auto& connection : json["connections"]) {
    std::vector<std::string>& subjects = subscriptions[connection.value("name", "")];
    if (!connection.contains("subscriptions_list")) continue;
    for (const auto& subject : connection["subscriptions_list"])
      if (subject.is_string()) subjects.push_back(subject.get<std::string>());
  }
  return subscriptions;
}

std::size_t count_with_prefix(const std::vector<std::string>& subjects, const std::string& prefix) {
  std::size_t count = 0;
  for (const std::string& subject : subjects) count += subject.rfind(prefix, 0) == 0 ? 1 : 0;
  return count;
}

}  // namespace bulwark::e2e
