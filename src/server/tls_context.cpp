#include "server/tls_context.h"

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <boost/asio/ssl/context.hpp>
#include <fstream>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include "crypto/tls_certificate.h"

namespace bulwark::server {
namespace {

Result<void> write_file(const std::filesystem::path& path, std::string_view content, int mode) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return fail(Errc::storage, "cannot write " + temp.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) return fail(Errc::storage, "cannot write " + temp.string());
  }
  if (::chmod(temp.c_str(), static_cast<mode_t>(mode)) != 0)
    return fail(Errc::storage, "cannot set the mode of " + temp.string());
  std::error_code error;
  std::filesystem::rename(temp, path, error);
  if (error) return fail(Errc::storage, "cannot rename " + temp.string());
  return {};
}

}  // namespace

Result<TlsFiles> ensure_tls_files(const ServerConfig& config) {
  if (config.tls_cert || config.tls_key) {
    if (!config.tls_cert || !config.tls_key)
      return fail(Errc::invalid_argument, "tls cert and key must be configured together");
    return TlsFiles{*config.tls_cert, *config.tls_key, false};
  }
  std::filesystem::path dir = config.data_dir / "tls";
  TlsFiles files{dir / "cert.pem", dir / "key.pem", false};
  if (std::filesystem::exists(files.certificate) && std::filesystem::exists(files.private_key))
    return files;
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(Errc::storage, "cannot create " + dir.string());
  std::vector<std::string> names{"localhost", "127.0.0.1", "::1"};
  if (config.listen_host != "127.0.0.1" && config.listen_host != "localhost" &&
      config.listen_host != "::1" && config.listen_host != "0.0.0.0" && config.listen_host != "::")
    names.push_back(config.listen_host);
  auto certificate = BULWARK_TRY(crypto::make_self_signed_certificate(names, 825));
  // The key first: a certificate without its key would be kept and never work.
  std::string_view key_pem(reinterpret_cast<const char*>(certificate.private_key_pem.view().data()),
                           certificate.private_key_pem.size());
  BULWARK_TRY(write_file(files.private_key, key_pem, 0600));
  BULWARK_TRY(write_file(files.certificate, certificate.certificate_pem, 0644));
  files.generated = true;
  return files;
}

Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const TlsFiles& files) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION);
  // Idle connections hold no TLS read/write buffers (about 34 KiB each otherwise).
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  // TLS 1.3 tickets are stateless: resumption works without a server-side session cache, which
  // would otherwise keep up to 20,480 sessions in memory. One ticket per connection suffices.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(native, 1);
  // ChaCha20-Poly1305 first, then AES-256-GCM for clients that lack it: the same 256-bit keys,
  // but its cipher state and SHA-256 transcript take about 480 bytes less per connection
  // for as long as it is open (OpenSSL 3.0: 2 x 848 + 2 x 112 against 2 x 960 + 2 x 216), which
  // is 3 % of an idle TLS connection. Messages are small, so AES-NI's bulk speed is not missed.
  SSL_CTX_set_ciphersuites(native, tls_cipher_suites);
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE);
  boost::system::error_code error;
  context->use_certificate_chain_file(files.certificate.string(), error);
  if (error) return fail(Errc::invalid_argument, "cannot load certificate " + files.certificate.string());
  context->use_private_key_file(files.private_key.string(), ssl::context::pem, error);
  if (error) return fail(Errc::invalid_argument, "cannot load key " + files.private_key.string());
  if (SSL_CTX_check_private_key(native) != 1)
    return fail(Errc::invalid_argument, "the key does not match the certificate");
  return context;
}

}  // namespace bulwark::server
