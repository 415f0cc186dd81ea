// Shared by the Beast-based test clients (https_get.cpp, raw_websocket.cpp): a TLS client
// context trusting exactly one certificate file, and a way to run one asynchronous operation to
// completion with a deadline. Includes Asio: only for those two .cpp files.
#pragma once

#include <utility>  // before Asio (Boost 1.74's awaitable.hpp needs std::exchange)

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/error.hpp>

namespace bulwark::e2e::detail {

// TLS 1.3 (the server's minimum), peer verified against `ca_file` and the name 127.0.0.1.
inline boost::asio::ssl::context client_tls(const std::filesystem::path& ca_file) {
  boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
  tls.set_verify_mode(boost::asio::ssl::verify_peer);
  tls.load_verify_file(ca_file.string());
  tls.set_verify_callback(boost::asio::ssl::host_name_verification("127.0.0.1"));
  return tls;
}

// Starts an operation with `start(handler)`, runs `io` until it completes or `timeout` passes.
// On timeout calls `abort()` (which must make the operation complete, e.g. by closing the
// socket), lets it finish and returns nullopt.
template <class Start, class Abort>
std::optional<boost::beast::error_code> run_with_deadline(boost::asio::io_context& io,
                                                          std::chrono::milliseconds timeout,
                                                          Start&& start, Abort&& abort) {
  std::optional<boost::beast::error_code> result;
  start([&result](boost::beast::error_code error, auto&&...) { result = error; });
  io.restart();
  io.run_for(timeout);
  if (result) return result;
  abort();
  io.restart();
  io.run_for(std::chrono::seconds(2));
  return std::nullopt;
}

}  // namespace bulwark::e2e::detail
