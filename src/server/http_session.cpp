#include "server/http_session.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "server/channel_web.h"
#include "server/health.h"
#include "server/kt_http.h"
#include "server/kt_service.h"
#include "server/lawful_http.h"
#include "server/lawful_service.h"
#include "server/moderation_admin.h"
#include "server/moderation_report.h"
#include "server/web/security_headers.h"
#include "server/web/web_route.h"
#include "server/ws_session.h"

namespace bulwark::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr auto request_timeout = std::chrono::seconds(10);
constexpr std::uint32_t max_header_bytes = 8 * 1024;
constexpr std::uint64_t max_body_bytes = 16 * 1024;  // a signed moderator action fits easily
// A keep-alive connection serves at most this many plain requests.
constexpr int max_requests = 100;
// Connections reading a body above max_body_bytes at the same time (lawful_http.h's uploads).
constexpr int max_large_bodies = 4;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(asio::ip::tcp::socket socket, asio::ssl::context* tls, ServerContext& context)
      : stream_(std::move(socket), tls != nullptr ? tls->native_handle() : nullptr),
        deadline_(stream_.get_executor()),
        context_(context) {
    beast::error_code error;
    auto endpoint = stream_.socket().remote_endpoint(error);
    if (!error) remote_ip_ = endpoint.address().to_string();
  }

  ~HttpSession() { release_large_body(); }

  void run() {
    expire_after(request_timeout);
    stream_.async_handshake([self = shared_from_this()](beast::error_code error, std::size_t) {
      self->on_handshake(error);
    });
  }

 private:
  // Closing the socket ends whatever operation is outstanding: a peer gets `timeout` to send a
  // request or take a response, however slowly it trickles bytes.
  void expire_after(std::chrono::steady_clock::duration timeout) {
    deadline_.expires_after(timeout);
    deadline_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (!error && !self->handed_over_) self->stream_.close();
    });
  }

  // The connection is over: free the descriptor now, not when the deadline fires.
  void finish() {
    deadline_.cancel();
    stream_.close();
  }

  void on_handshake(beast::error_code error) {
    if (error) return finish();
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(max_header_bytes);
    parser_->body_limit(max_body_bytes);
    expire_after(request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
  }

  // Operators' lawful-request uploads (an order with its signature's certificate chain) may be
  // larger than anything else; every other route keeps the small limit.
  // Only for a request that names a configured operator, and bounded in number too: the larger
  // limit is granted before the request's signature can be checked, so at most
  // max_large_bodies connections may read such a body at once, and a flood of them costs the
  // server max_large_bodies MiB, not one per connection.
  void on_header(beast::error_code error, std::size_t) {
    if (error) return on_read(error, 0);
    const auto target = parser_->get().target();
    const auto named = parser_->get()["X-Bulwark-Operator"];
    if (is_lawful_admin_target(std::string_view(target.data(), target.size())) &&
        context_.lawful != nullptr &&
        context_.lawful->find_operator(std::string_view(named.data(), named.size())) != nullptr) {
      if (context_.large_bodies.fetch_add(1) >= max_large_bodies) {
        context_.large_bodies.fetch_sub(1);
        return reply(http::status::service_unavailable, "busy, retry\n", false);
      }
      holds_large_body_ = true;
      parser_->body_limit(max_lawful_body_bytes);
    }
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void release_large_body() {
    if (!holds_large_body_) return;
    holds_large_body_ = false;
    context_.large_bodies.fetch_sub(1);
  }

  void on_read(beast::error_code error, std::size_t) {
    release_large_body();
    if (error == http::error::end_of_stream) return shutdown();
    if (error) {
      if (error == http::error::header_limit || error == http::error::body_limit)
        return reply(http::status::payload_too_large, "too large\n", false);
      return finish();
    }
    http::request<http::string_body> request = parser_->release();
    if (beast::websocket::is_upgrade(request)) {
      if (request.target() != "/v1/websocket")
        return reply(http::status::not_found, "no WebSocket here\n", false);
      if (context_.shutting_down)
        return reply(http::status::service_unavailable, "shutting down\n", false);
      handed_over_ = true;
      deadline_.cancel();
      auto rest = buffer_.cdata();  // a client may send its first frames right behind
      std::string leftover(static_cast<const char*>(rest.data()), rest.size());
      return start_ws_session(std::move(stream_), request, std::move(leftover), context_,
                              remote_ip_);
    }
    route(request);
  }

  void route(const http::request<http::string_body>& request) {
    bool keep_alive = request.keep_alive() && ++served_ < max_requests;
    if (request.target().starts_with("/v1/kt/")) return route_kt(request, keep_alive);
    const std::string_view target(request.target().data(), request.target().size());
    if (web::is_web_target(target)) return route_web(request, target, keep_alive);
    if (is_admin_target(target)) return route_admin(request, target, keep_alive);
    if (is_lawful_target(target)) return route_lawful(request, target, keep_alive);
    if (target == "/moderation" || target == "/moderation.json")
      return route_moderation_report(request, target == "/moderation.json", keep_alive);
    if (request.method() != http::verb::get && request.method() != http::verb::head)
      return reply(http::status::method_not_allowed, "GET only\n", keep_alive);
    if (request.target() == "/healthz") {
      const HealthAnswer answer = health(context_.shutting_down, context_.store.failed());
      if (!answer.healthy)
        return reply(http::status::service_unavailable, std::string(answer.body), false);
      return reply(http::status::ok, std::string(answer.body), keep_alive);
    }
    if (request.target() == "/metrics") {
      Metrics::Gauges gauges;
      gauges.store_queue = context_.store.queued();
      gauges.store_batches = context_.store.batches();
      gauges.store_jobs = context_.store.jobs_run();
      gauges.store_batch_durations = context_.store.batch_durations();
      gauges.store_queue_waits = context_.store.queue_waits();
      gauges.store_sync_durations = context_.store.sync_durations();
      gauges.store_failed = context_.store.failed();
      gauges.online_devices = context_.registry.size();
      gauges.bus = context_.bus_counters;
      return reply(http::status::ok, context_.metrics.render(gauges), keep_alive,
                   "text/plain; version=0.0.4");
    }
    reply(http::status::not_found, "not found\n", keep_alive);
  }

  // Witnesses' routes (server/kt_http.h). The KT thread answers; the reply is written from
  // this connection's executor.
  void route_kt(const http::request<http::string_body>& request, bool keep_alive) {
    KtService* kt = context_.kt;
    if (kt == nullptr)
      return reply(http::status::not_found, "no key-transparency log\n", keep_alive);
    const KtHttpRequest parsed = parse_kt_http_request(
        request.method() == http::verb::post,
        std::string_view(request.target().data(), request.target().size()), request.body());
    if (parsed.route == KtHttpRoute::checkpoint) {
      const auto note = kt->newest_checkpoint();
      if (!note) return reply(http::status::service_unavailable, "no entry yet\n", keep_alive);
      return reply(http::status::ok, *note, keep_alive);
    }
    auto self = shared_from_this();
    auto answer = [self, keep_alive](http::status status, std::string body, std::string_view type) {
      asio::post(self->stream_.get_executor(), [self, status, body = std::move(body), keep_alive,
                                                type = std::string(type)]() mutable {
        self->reply(status, std::move(body), keep_alive, type);
      });
    };
    bool queued = true;
    switch (parsed.route) {
      case KtHttpRoute::entry:
        queued = kt->audit_entry(parsed.index, [answer](Result<Bytes> entry) {
          if (!entry) return answer(http::status::not_found, entry.error().context + "\n", kText);
          answer(http::status::ok,
                 std::string(reinterpret_cast<const char*>(entry->data()), entry->size()),
                 "application/octet-stream");
        });
        break;
      case KtHttpRoute::cosignature:
        queued = kt->add_cosignature(parsed.index, parsed.line, [answer](Result<void> result) {
          if (result) return answer(http::status::ok, "accepted\n", kText);
          const auto status = result.error().code == Errc::auth_failed ? http::status::conflict
                              : result.error().code == Errc::invalid_argument
                                  ? http::status::bad_request
                                  : http::status::service_unavailable;
          answer(status, result.error().context + "\n", kText);
        });
        break;
      default:
        return reply(parsed.route == KtHttpRoute::bad_request ? http::status::bad_request
                                                              : http::status::not_found,
                     parsed.error + "\n", keep_alive);
    }
    if (!queued) reply(http::status::service_unavailable, "busy, retry\n", keep_alive);
  }

  static constexpr std::string_view kText = "text/plain; charset=utf-8";

  // The channels' web preview (server/channel_web.h): rows read on the store thread, checked
  // and rendered back on this connection's executor. Limited per address like every request
  // made without an account.
  void route_web(const http::request<http::string_body>& request, std::string_view target,
                 bool keep_alive) {
    if (request.method() != http::verb::get)
      return reply(http::status::method_not_allowed, "GET only\n", keep_alive);
    auto decision = context_.limiters.take(Limit::requests_per_ip, remote_ip_);
    if (!decision.allowed) {
      context_.metrics.requests_rate_limited++;
      return reply(http::status::too_many_requests, "too many requests, retry later\n", false);
    }
    auto route = std::make_shared<const web::WebRoute>(web::parse_web_target(target));
    const auto host = request[http::field::host];
    const std::string base_url = web_base_url(std::string_view(host.data(), host.size()),
                                              "https://" + context_.config.listen_host);
    auto self = shared_from_this();
    auto data = std::make_shared<WebData>();
    const std::uint32_t page_posts = context_.config.channel_web_page_posts;
    const bool queued = context_.store.submit(
        [route, data, page_posts](store::Store& store) -> Result<void> {
          *data = BULWARK_TRY(load_web_data(store, *route, page_posts));
          return {};
        },
        [self, route, data, base_url, keep_alive](Result<void> result) {
          asio::post(self->stream_.get_executor(), [self, route, data, base_url, keep_alive,
                                                    result = std::move(result)] {
            if (!result)
              return self->reply(http::status::service_unavailable, "busy, retry\n", keep_alive);
            WebReply answer = build_web_reply(*data, *route, base_url);
            self->reply(static_cast<http::status>(answer.status), std::move(answer.body),
                        keep_alive, answer.content_type, /*web_headers=*/true);
          });
        },
        StoreExecutor::Access::read_only);
    if (!queued) {
      context_.metrics.store_unavailable++;
      reply(http::status::service_unavailable, "busy, retry\n", keep_alive);
    }
  }

  // Moderators' API (server/moderation_admin.h): signed JSON requests from bulwark-admin.
  void route_admin(const http::request<http::string_body>& request, std::string_view target,
                   bool keep_alive) {
    if (request.method() != http::verb::get && request.method() != http::verb::post)
      return reply(http::status::method_not_allowed, "{\"error\":\"GET or POST\"}", keep_alive,
                   kJson);
    auto decision = context_.limiters.take(Limit::requests_per_ip, remote_ip_);
    if (!decision.allowed) {
      context_.metrics.requests_rate_limited++;
      return reply(http::status::too_many_requests, "{\"error\":\"too many requests\"}", false,
                   kJson);
    }
    auto header = [&request](std::string_view name) {
      const auto value = request[beast::string_view(name.data(), name.size())];
      return std::string(value.data(), value.size());
    };
    AdminHttpRequest parsed;
    parsed.post = request.method() == http::verb::post;
    parsed.target = std::string(target);
    parsed.moderator = header("X-Bulwark-Moderator");
    parsed.time = header("X-Bulwark-Time");
    parsed.signature = header("X-Bulwark-Signature");
    parsed.body = request.body();
    auto self = shared_from_this();
    handle_admin_request(context_, std::move(parsed), [self, keep_alive](AdminHttpReply answer) {
      asio::post(self->stream_.get_executor(),
                 [self, keep_alive, answer = std::move(answer)]() mutable {
                   self->reply(static_cast<http::status>(answer.status), std::move(answer.body),
                               keep_alive, kJson);
                 });
    });
  }

  // Lawful requests (server/lawful_http.h): operators' signed requests, the disclosure log's
  // routes and the transparency report, rate limited per address like the moderators' API.
  void route_lawful(const http::request<http::string_body>& request, std::string_view target,
                    bool keep_alive) {
    if (request.method() != http::verb::get && request.method() != http::verb::post)
      return reply(http::status::method_not_allowed, "GET or POST\n", keep_alive);
    auto decision = context_.limiters.take(Limit::requests_per_ip, remote_ip_);
    if (!decision.allowed) {
      context_.metrics.requests_rate_limited++;
      return reply(http::status::too_many_requests, "too many requests, retry later\n", false);
    }
    auto header = [&request](std::string_view name) {
      const auto value = request[beast::string_view(name.data(), name.size())];
      return std::string(value.data(), value.size());
    };
    LawfulHttpRequest parsed;
    parsed.post = request.method() == http::verb::post;
    parsed.target = std::string(target);
    parsed.operator_name = header("X-Bulwark-Operator");
    parsed.time = header("X-Bulwark-Time");
    parsed.signature = header("X-Bulwark-Signature");
    parsed.body = request.body();
    auto self = shared_from_this();
    handle_lawful_request(context_, std::move(parsed), [self, keep_alive](LawfulHttpReply answer) {
      asio::post(self->stream_.get_executor(),
                 [self, keep_alive, answer = std::move(answer)]() mutable {
                   const bool page = answer.content_type.starts_with("text/html");
                   self->reply(static_cast<http::status>(answer.status), std::move(answer.body),
                               keep_alive, answer.content_type, page);
                 });
    });
  }

  // The public moderation report, HTML or JSON (server/web/moderation_page.h).
  void route_moderation_report(const http::request<http::string_body>& request, bool json,
                               bool keep_alive) {
    if (request.method() != http::verb::get)
      return reply(http::status::method_not_allowed, "GET only\n", keep_alive);
    auto decision = context_.limiters.take(Limit::requests_per_ip, remote_ip_);
    if (!decision.allowed) {
      context_.metrics.requests_rate_limited++;
      return reply(http::status::too_many_requests, "too many requests, retry later\n", false);
    }
    auto self = shared_from_this();
    auto counts = std::make_shared<std::vector<store::ModerationCount>>();
    const bool queued = context_.store.submit(
        [counts](store::Store& store) -> Result<void> {
          *counts = BULWARK_TRY(store.moderation_counts());
          return {};
        },
        [self, counts, json, keep_alive](Result<void> result) {
          asio::post(self->stream_.get_executor(), [self, counts, json, keep_alive,
                                                    result = std::move(result)] {
            if (!result)
              return self->reply(http::status::service_unavailable, "busy, retry\n", keep_alive);
            const web::ModerationReport report = group_moderation_counts(*counts);
            if (json)
              return self->reply(http::status::ok, moderation_report_json(report), keep_alive,
                                 kJson);
            self->reply(http::status::ok, web::render_moderation_page(report), keep_alive,
                        web::html_content_type, /*web_headers=*/true);
          });
        },
        StoreExecutor::Access::read_only);
    if (!queued) {
      context_.metrics.store_unavailable++;
      reply(http::status::service_unavailable, "busy, retry\n", keep_alive);
    }
  }

  static constexpr std::string_view kJson = "application/json";

  void reply(http::status status, std::string body, bool keep_alive,
             std::string_view content_type = "text/plain; charset=utf-8",
             bool web_headers = false) {
    auto response = std::make_shared<http::response<http::string_body>>(status, 11);
    response->set(http::field::server, "bulwark");
    response->set(http::field::content_type, std::string(content_type));
    response->set(http::field::cache_control, "no-store");
    if (web_headers) {
      for (const web::HeaderField& field : web::security_headers)
        response->set(std::string(field.name), std::string(field.value));
    } else {
      response->set("X-Content-Type-Options", "nosniff");
    }
    response->keep_alive(keep_alive);
    response->body() = std::move(body);
    response->prepare_payload();
    expire_after(request_timeout);
    http::async_write(
        stream_, *response,
        [self = shared_from_this(), response, keep_alive](beast::error_code error, std::size_t) {
          if (error) return self->finish();
          if (keep_alive) return self->do_read();
          self->shutdown();
        });
  }

  void shutdown() {
    expire_after(std::chrono::seconds(2));
    stream_.async_shutdown(
        [self = shared_from_this()](beast::error_code, std::size_t) { self->finish(); });
  }

  TlsSocket stream_;
  asio::steady_timer deadline_;
  bool handed_over_ = false;
  bool holds_large_body_ = false;  // counted in context_.large_bodies
  ServerContext& context_;
  std::string remote_ip_ = "unknown";
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  int served_ = 0;
};

}  // namespace

void start_http_session(asio::ip::tcp::socket socket, asio::ssl::context* tls,
                        ServerContext& context) {
  std::make_shared<HttpSession>(std::move(socket), tls, context)->run();
}

}  // namespace bulwark::server
