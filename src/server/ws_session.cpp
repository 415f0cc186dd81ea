#include "server/ws_session.h"

#include <array>
#include <atomic>
#include <cstring>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <optional>
#include <vector>

#include "api/limits.h"
#include "server/device_session.h"
#include "server/websocket/frame_parser.h"
#include "server/websocket/frame_writer.h"
#include "server/websocket/handshake.h"

namespace bulwark::server {
namespace {

namespace asio = boost::asio;
namespace ws = websocket;
using Clock = std::chrono::steady_clock;
using tls_detail::Outcome;
using tls_detail::Step;

constexpr auto close_grace = std::chrono::seconds(5);
// Reads per turn before yielding to other connections on this thread.
constexpr int reads_per_turn = 4;
// One TLS record: what a read returns at most, and what a batch of frames fills at most.
constexpr std::size_t record_bytes = tls_detail::max_record_payload;

// Per-thread buffers: a connection uses them only within one call (never across a wait), so
// idle connections hold none.
char* read_buffer() {
  thread_local std::array<char, record_bytes> buffer;
  return buffer.data();
}
char* batch_buffer() {
  thread_local std::array<char, record_bytes> buffer;
  return buffer.data();
}

struct Outgoing {
  std::shared_ptr<const std::string> payload;
  ws::Opcode opcode = ws::Opcode::binary;
  bool raw = false;  // bytes as they are (the handshake response), not a frame
  [[nodiscard]] std::size_t wire_size() const {
    return raw ? payload->size() : ws::header_bytes(payload->size()) + payload->size();
  }
};

class WsSession final : public Connection, private ws::FrameSink {
 public:
  WsSession(TlsSocket stream, ServerContext& context, std::string remote_ip)
      : stream_(std::move(stream)),
        context_(context),
        remote_ip_(std::move(remote_ip)),
        timer_(stream_.get_executor()),
        parser_(api::max_frame_bytes),
        session_(context, *this) {
    context_.metrics.connections_open++;
  }
  ~WsSession() override { context_.metrics.connections_open--; }

  void run(const boost::beast::http::request<boost::beast::http::string_body>& upgrade,
           std::string leftover) {
    std::string refusal;
    auto response = ws::accept_upgrade(upgrade, refusal);
    if (!response) {
      enqueue_raw(std::move(refusal));
      state_ = State::closing;  // the refusal is the last thing sent
      pending_close_after_raw_ = true;
      arm(close_grace);
      return flush();
    }
    // A plaintext connection has no exporter: its devices sign the plaintext message.
    SSL* ssl = stream_.native_handle();
    auto label = api::auth_exporter_label;
    if (!stream_.plaintext() &&
        (ssl == nullptr ||
         SSL_export_keying_material(ssl, reinterpret_cast<unsigned char*>(exporter_.data()),
                                    exporter_.size(), label.data(), label.size(), nullptr, 0,
                                    0) != 1)) {
      return finish();
    }
    context_.registry.track(shared_from_this());
    tracked_ = true;
    enqueue_raw(std::move(*response));
    last_heard_ = Clock::now();
    last_request_ = last_heard_;
    session_.start();  // queues the Challenge after the 101
    arm(context_.config.auth_timeout);
    flush();
    if (!leftover.empty() && state_ == State::open) {
      if (!consume(std::span<char>(leftover.data(), leftover.size()))) return;
    }
    start_read();
  }

  void post(std::function<void()> fn) override {
    posted_.fetch_add(1, std::memory_order_relaxed);
    asio::post(stream_.get_executor(), [self = shared(), fn = std::move(fn)] {
      const bool last = self->posted_.fetch_sub(1, std::memory_order_relaxed) == 1;
      if (self->state_ == State::finished) return;
      self->in_turn_ = true;
      fn();
      self->in_turn_ = false;
      // The store's sync thread posts a batch's completions together: flushing after those
      // already queued behind this one sends all their frames in one record and one send. The
      // last of them sends at once: a flush posted now would wait behind everything else queued
      // on the thread meanwhile (a channel post's fan-out, when this is its owner's answer).
      if (last) return self->flush();
      self->schedule_flush();
    });
  }

  bool write(std::shared_ptr<const std::string> frame) override {
    if (state_ != State::open) return false;
    queued_bytes_ += frame->size();
    queue_.push_back(Outgoing{std::move(frame), ws::Opcode::binary, false});
    if (queued_bytes_ > context_.config.max_outgoing_queue_bytes) {
      context_.metrics.slow_consumers_closed++;
      drop_unsent();
      close("reading too slowly: reconnect to drain the queue");
      return false;
    }
    // Inside a turn (a posted job, a read) the frames queued leave together when it ends.
    if (!in_turn_) schedule_flush();
    return true;
  }

  std::size_t queued_write_bytes() const override { return queued_bytes_; }

  // Dispatched, not posted: from an I/O thread (ChannelHub's fan-out) it runs right here when
  // nothing else runs for this connection, with no handler queued per subscriber.
  void deliver(std::shared_ptr<const std::string> frame) override {
    asio::dispatch(stream_.get_executor(), [self = shared(), frame = std::move(frame)]() mutable {
      if (self->state_ == State::finished) return;
      const bool in_turn = self->in_turn_;
      self->in_turn_ = true;
      const bool queued = self->write(std::move(frame));
      self->in_turn_ = in_turn;
      if (in_turn) return;  // the turn this runs inside sends what it queued when it ends
      // Sent now rather than by a second handler: nothing else is likely queued behind it.
      if (queued && !self->flush_posted_) self->flush();
    });
  }

  void close(std::string_view reason) override {
    send_close(ws::close_code::going_away, reason);
  }

  const std::string& remote_ip() const override { return remote_ip_; }
  ByteView tls_exporter() const override { return exporter_; }
  bool plaintext() const override { return stream_.plaintext(); }
  DeviceSession& session() override { return session_; }

 private:
  enum class State {
    open,
    closing,    // our close frame (or refusal) is queued
    close_sent, // it is written; waiting for the peer's close or EOF
    finished,
  };

  std::shared_ptr<WsSession> shared() {
    return std::static_pointer_cast<WsSession>(shared_from_this());
  }

  // ---- reading ----

  void start_read() {
    if (reading_ || state_ == State::finished) return;
    if (stream_.has_pending()) {
      reading_ = true;
      asio::post(stream_.get_executor(), [self = shared()] {
        self->reading_ = false;
        self->read_available();
      });
      return;
    }
    wait_then_read(asio::ip::tcp::socket::wait_read);
  }

  void wait_then_read(asio::ip::tcp::socket::wait_type what) {
    if (reading_) return;  // another read chain (started by after_close_written) is waiting
    reading_ = true;
    stream_.socket().async_wait(what, [self = shared()](boost::system::error_code error) {
      self->reading_ = false;
      if (self->state_ == State::finished) return;
      if (error) return self->finish();
      self->read_available();
    });
  }

  void read_available() {
    for (int turn = 0; turn < reads_per_turn; ++turn) {
      if (state_ == State::finished) return;
      Outcome outcome = stream_.try_read(read_buffer(), record_bytes);
      if (outcome.step == Step::want_read) return wait_then_read(asio::ip::tcp::socket::wait_read);
      if (outcome.step == Step::want_write)
        return wait_then_read(asio::ip::tcp::socket::wait_write);
      if (outcome.error) return finish();  // EOF, reset, TLS error: the connection is over
      last_heard_ = Clock::now();
      ping_sent_ = false;
      if (state_ == State::close_sent) continue;  // draining until the peer closes
      if (!consume(std::span<char>(read_buffer(), outcome.bytes))) return;
      if (reading_) return;  // closing started its own read chain (after_close_written)
      // OpenSSL reads ahead whatever the socket held, so with nothing left in its buffer the
      // socket is most likely drained: wait now instead of spending a recv() on EAGAIN. Bytes
      // that arrived meanwhile are not missed: Asio re-arms epoll for the wait, which reports
      // them at once.
      if (!stream_.has_pending()) return wait_then_read(asio::ip::tcp::socket::wait_read);
    }
    // More may be waiting; let other connections on this thread have a turn first.
    if (reading_) return;
    reading_ = true;
    asio::post(stream_.get_executor(), [self = shared()] {
      self->reading_ = false;
      self->read_available();
    });
  }

  // Parses received bytes; false when the connection stopped reading.
  bool consume(std::span<char> bytes) {
    in_turn_ = true;
    auto violation = parser_.feed(bytes, *this);
    in_turn_ = false;
    if (violation) {
      context_.metrics.frames_malformed++;
      send_close(violation->close_code, violation->reason);
    }
    flush();  // the responses to everything just read, together
    return state_ != State::finished;
  }

  bool on_event(const ws::Event& event) override {
    if (state_ != State::open) return state_ != State::finished;
    switch (event.kind) {
      case ws::Event::Kind::binary: {
        bool was_authenticated = session_.device().has_value();
        session_.on_message(event.payload);
        if (!was_authenticated && !session_.device() && state_ == State::open) {
          last_request_ = Clock::now();
        }
        return state_ == State::open;
      }
      case ws::Event::Kind::text:
        send_close(ws::close_code::unsupported_data, "text frames are not part of the protocol");
        return false;
      case ws::Event::Kind::ping:
        queue_pong(event.payload);
        return true;
      case ws::Event::Kind::pong:
        return true;
      case ws::Event::Kind::close: {
        std::uint16_t code = event.close_code == ws::close_code::no_status
                                 ? ws::close_code::normal
                                 : event.close_code;
        send_close(code, "");
        return false;
      }
    }
    return false;
  }

  // ---- writing ----

  void enqueue_raw(std::string bytes) {
    queue_.push_back(Outgoing{std::make_shared<const std::string>(std::move(bytes)),
                              ws::Opcode::binary, true});
  }

  void enqueue_control(ws::Opcode opcode, std::string payload) {
    queue_.push_back(Outgoing{std::make_shared<const std::string>(std::move(payload)), opcode,
                              false});
  }

  // At most one pong waits: a newer ping replaces the payload of the one not yet sent
  // (RFC 6455 §5.5.3 allows answering only the latest). Otherwise a peer that pings and never
  // reads would grow the queue without limit, pongs not being messages the write bound counts.
  void queue_pong(std::string_view payload) {
    auto text = std::make_shared<const std::string>(payload);
    if (pong_slot_ && *pong_slot_ >= next_ && *pong_slot_ < queue_.size()) {
      queue_[*pong_slot_].payload = std::move(text);
      return;
    }
    pong_slot_ = queue_.size();
    queue_.push_back(Outgoing{std::move(text), ws::Opcode::pong, false});
  }

  // Drops every queued message not yet handed to TLS; the reader reconnects and gets its
  // envelopes from the store.
  void drop_unsent() {
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(next_), queue_.end());
    queued_bytes_ = 0;
    pong_slot_.reset();
  }

  // Forgets the slots of frames already handed to TLS: all of them once the queue drains, and
  // the front part of a queue that never quite drains, so that the vector stays bounded.
  void compact_queue() {
    if (next_ == queue_.size()) {
      queue_.clear();
      if (queue_.capacity() > 16) queue_.shrink_to_fit();  // a burst's worth, not kept idle
      next_ = 0;
      pong_slot_.reset();
    } else if (next_ >= 64 && next_ * 2 >= queue_.size()) {
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(next_));
      if (pong_slot_) {
        if (*pong_slot_ >= next_) {
          *pong_slot_ -= next_;
        } else {
          pong_slot_.reset();
        }
      }
      next_ = 0;
    }
  }

  void send_close(std::uint16_t code, std::string_view reason) {
    if (state_ != State::open) return;
    state_ = State::closing;
    enqueue_control(ws::Opcode::close, ws::close_payload(code, reason));
    arm(close_grace);
    if (!in_turn_) flush();
  }

  void schedule_flush() {
    if (flush_posted_ || writing_ || next_ == queue_.size()) return;
    flush_posted_ = true;
    asio::post(stream_.get_executor(), [self = shared()] {
      self->flush_posted_ = false;
      self->flush();
    });
  }

  // Writes queued frames, a record's worth at a time, until done or the socket is full.
  void flush() {
    while (!writing_ && next_ < queue_.size() && state_ != State::finished) {
      bool ends_connection = false;
      std::string large;  // a frame bigger than a record, built on its own
      const char* data = nullptr;
      std::size_t size = 0;
      if (queue_[next_].wire_size() > record_bytes) {
        ends_connection = take(large);
        data = large.data();
        size = large.size();
      } else {
        char* batch = batch_buffer();
        while (next_ < queue_.size() && !ends_connection &&
               size + queue_[next_].wire_size() <= record_bytes) {
          ends_connection = take_into(batch, size);
        }
        data = batch;
      }
      if (!write_now(data, size, ends_connection)) return;
      if (ends_connection) return after_close_written();
    }
    if (!writing_) compact_queue();
  }

  // Moves queue_[next_] onto the wire image; true when it is the connection's last frame.
  bool take_into(char* batch, std::size_t& size) {
    Outgoing& item = queue_[next_];
    if (!item.raw) size += ws::write_header(batch + size, item.opcode, item.payload->size());
    std::memcpy(batch + size, item.payload->data(), item.payload->size());
    size += item.payload->size();
    return release(item);
  }

  bool take(std::string& out) {
    Outgoing& item = queue_[next_];
    if (item.raw) {
      out.append(*item.payload);
    } else {
      ws::append_frame(out, item.opcode, *item.payload);
    }
    return release(item);
  }

  bool release(Outgoing& item) {
    bool last = item.opcode == ws::Opcode::close || (item.raw && pending_close_after_raw_);
    if (!item.raw && item.opcode == ws::Opcode::binary) queued_bytes_ -= item.payload->size();
    item.payload.reset();
    ++next_;
    return last;
  }

  // Hands bytes to TLS; when the socket is full, keeps the rest and waits. False unless all
  // of it was written.
  bool write_now(const char* data, std::size_t size, bool ends_connection) {
    std::size_t done = 0;
    while (done < size) {
      Outcome outcome = stream_.try_write(data + done, size - done);
      if (outcome.step == Step::done) {
        if (outcome.error) {
          finish();
          return false;
        }
        done += outcome.bytes;
        continue;
      }
      // OpenSSL wants the same bytes again once the socket is ready (they may move).
      unwritten_.assign(data + done, size - done);
      unwritten_ends_connection_ = ends_connection;
      writing_ = true;
      auto what = outcome.step == Step::want_write ? asio::ip::tcp::socket::wait_write
                                                   : asio::ip::tcp::socket::wait_read;
      stream_.socket().async_wait(what, [self = shared()](boost::system::error_code error) {
        self->on_writable(error);
      });
      return false;
    }
    return true;
  }

  void on_writable(boost::system::error_code error) {
    writing_ = false;
    if (state_ == State::finished) return;
    if (error) return finish();
    std::string pending;
    pending.swap(unwritten_);
    bool ends_connection = unwritten_ends_connection_;
    if (!write_now(pending.data(), pending.size(), ends_connection)) return;
    if (ends_connection) return after_close_written();
    flush();
  }

  // Our close frame (or refusal) is on the wire: close_notify, stop sending, and wait for the
  // peer to finish (reading and dropping what it still sends) at most close_grace.
  void after_close_written() {
    state_ = State::close_sent;
    queue_.clear();
    next_ = 0;
    pong_slot_.reset();
    stream_.shutdown_send();
    arm(close_grace);
    start_read();
  }

  // ---- timers ----

  // A wait that completed before a later arm() re-set the timer must not act: its handler
  // may already be queued, so cancelling cannot stop it, and the generation does.
  void arm(Clock::duration after) {
    timer_.expires_after(after);
    std::uint64_t generation = ++timer_generation_;
    timer_.async_wait([self = shared(), generation](boost::system::error_code error) {
      if (!error && generation == self->timer_generation_) self->on_timer();
    });
  }

  void on_timer() {
    if (state_ == State::finished) return;
    if (state_ != State::open) return finish();  // the peer did not finish closing in time
    auto now = Clock::now();
    if (!session_.device()) {
      auto deadline = last_request_ + context_.config.auth_timeout;
      if (now >= deadline) return close("authentication timed out");
      return arm(deadline - now);
    }
    auto idle = context_.config.idle_timeout;
    if (now - last_heard_ >= idle) return close("idle timeout");
    if (now - last_heard_ >= idle / 2) {
      if (!ping_sent_) {
        ping_sent_ = true;
        enqueue_control(ws::Opcode::ping, std::string());
        flush();
      }
      return arm(last_heard_ + idle - now);
    }
    arm(last_heard_ + idle / 2 - now);
  }

  // The connection is over, however it ended.
  void finish() {
    if (state_ == State::finished) return;
    state_ = State::finished;
    timer_.cancel();
    session_.stop();
    if (tracked_) context_.registry.untrack(this);
    queue_.clear();
    std::string().swap(unwritten_);
    stream_.close();
  }

  TlsSocket stream_;
  ServerContext& context_;
  std::string remote_ip_;
  asio::steady_timer timer_;
  ws::FrameParser parser_;
  State state_ = State::open;
  bool reading_ = false;
  bool writing_ = false;
  bool flush_posted_ = false;
  bool in_turn_ = false;
  bool tracked_ = false;
  bool ping_sent_ = false;
  bool pending_close_after_raw_ = false;
  bool unwritten_ends_connection_ = false;
  Clock::time_point last_heard_{};
  Clock::time_point last_request_{};
  // Frames to write, in order, from next_ on. A vector rather than a deque: an empty deque
  // still holds about 600 bytes, and most connections are idle.
  std::vector<Outgoing> queue_;
  std::size_t next_ = 0;
  std::optional<std::size_t> pong_slot_;  // the queued pong not yet sent, if any
  std::size_t queued_bytes_ = 0;
  std::uint64_t timer_generation_ = 0;
  std::atomic<std::size_t> posted_{0};  // post() handlers queued and not yet run
  std::string unwritten_;  // bytes TLS must be given again when the socket is writable
  std::array<std::byte, api::auth_exporter_bytes> exporter_{};
  DeviceSession session_;
};

}  // namespace

void start_ws_session(TlsSocket stream,
                      const boost::beast::http::request<boost::beast::http::string_body>& upgrade,
                      std::string leftover, ServerContext& context, std::string remote_ip) {
  auto session = std::make_shared<WsSession>(std::move(stream), context, std::move(remote_ip));
  session->run(upgrade, std::move(leftover));
}

}  // namespace bulwark::server
