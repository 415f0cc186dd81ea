// The server's TLS: TLS 1.3 only, one SSL_CTX for the listener (a per-connection context is a
// known OpenSSL 3 performance trap). On first start a self-signed development certificate is
// written to DIR/tls/cert.pem and DIR/tls/key.pem (0600); clients pin it with --ca-file.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "server/config.h"

namespace boost::asio::ssl {
class context;
}

namespace bulwark::server {

// The TLS 1.3 suites the server accepts, its preference first (tls_context.cpp says why).
inline constexpr const char* tls_cipher_suites =
    "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256";

struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  bool generated = false;  // made just now
};

// The configured files, or DIR/tls/{cert,key}.pem, generated when absent.
[[nodiscard]] Result<TlsFiles> ensure_tls_files(const ServerConfig& config);

// Errc::invalid_argument when a file cannot be loaded (naming the file, never its content).
[[nodiscard]] Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(
    const TlsFiles& files);

}  // namespace bulwark::server
