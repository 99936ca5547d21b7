// txlab_resp_load: a small redis-benchmark for request units of several
// commands, which redis-benchmark cannot send (it repeats one command).
// Used by redis_benchmark_compare.sh for the MULTI/EXEC row, against
// `txlab serve` and redis-server alike, so both are measured by one tool.
//
//   txlab_resp_load --port P [--clients 50] [--pipeline 1] [--units 20000]
//                   --unit 'MULTI|DECRBY ta 1|INCRBY tb 1|EXEC'
//
// A unit is the '|'-separated commands, sent together in one write (as a
// client library pipelines a transaction); --pipeline N sends N units per
// write. Each client waits for all replies before its next write. Prints
//   units_per_sec=<r> p50_ms=<m> errors=<e>
// where latency is per write (N units) and errors counts error replies.
#include <asio.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "impl/server/resp_reply_reader.h"
#include "impl/server/resp_writer.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Shared {
  std::string batch;          // the bytes of one write
  size_t replies_per_batch = 0;
  int64_t units_per_batch = 0;
  int64_t units_left = 0;     // not yet issued
  int64_t errors = 0;
  std::vector<double> latencies_ms;
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& io, Shared* s) : socket_(io), shared_(s) {}

  void Start(const asio::ip::tcp::endpoint& ep) {
    socket_.async_connect(ep, [self = shared_from_this()](const asio::error_code& ec) {
      if (ec) {
        std::fprintf(stderr, "connect: %s\n", ec.message().c_str());
        return;
      }
      self->socket_.set_option(asio::ip::tcp::no_delay(true));
      self->Send();
    });
  }

 private:
  void Send() {
    if (shared_->units_left <= 0) return;
    shared_->units_left -= shared_->units_per_batch;
    replies_ = 0;
    sent_at_ = Clock::now();
    asio::async_write(socket_, asio::buffer(shared_->batch), [self = shared_from_this()](const asio::error_code& ec, size_t) {
      if (!ec) self->Read();
    });
  }

  void Read() {
    socket_.async_read_some(asio::buffer(buf_), [self = shared_from_this()](const asio::error_code& ec, size_t n) {
      if (ec) return;
      self->reader_.Feed(std::string_view(self->buf_.data(), n));
      txlab::Reply r;
      while (self->reader_.Next(&r) == txlab::ReplyReader::Status::kReply) {
        ++self->replies_;
        if (r.is_error()) ++self->shared_->errors;
        for (const auto& e : r.elems()) self->shared_->errors += e.is_error();
      }
      if (self->replies_ >= self->shared_->replies_per_batch) {
        self->shared_->latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - self->sent_at_).count());
        self->Send();
      } else {
        self->Read();
      }
    });
  }

  asio::ip::tcp::socket socket_;
  Shared* shared_;
  txlab::ReplyReader reader_;
  std::array<char, 65536> buf_;
  size_t replies_ = 0;
  Clock::time_point sent_at_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"txlab_resp_load: pipelined multi-command units against a RESP server"};
  int port = 6379, clients = 50, pipeline = 1;
  int64_t units = 20000;
  std::string unit;
  app.add_option("--port", port)->required();
  app.add_option("--clients", clients);
  app.add_option("--pipeline", pipeline);
  app.add_option("--units", units);
  app.add_option("--unit", unit, "commands separated by '|'")->required();
  CLI11_PARSE(app, argc, argv);

  Shared s;
  std::string one;
  std::stringstream cmds(unit);
  std::string cmd;
  while (std::getline(cmds, cmd, '|')) {
    std::vector<std::string> args;
    std::stringstream words(cmd);
    std::string w;
    while (words >> w) args.push_back(w);
    std::vector<std::string_view> views(args.begin(), args.end());
    txlab::AppendCommand(views, &one);
    ++s.replies_per_batch;
  }
  for (int i = 0; i < pipeline; ++i) s.batch += one;
  s.replies_per_batch *= static_cast<size_t>(pipeline);
  s.units_per_batch = pipeline;
  s.units_left = units;

  asio::io_context io(1);
  asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port));
  auto start = Clock::now();
  std::vector<std::shared_ptr<Client>> all;
  for (int i = 0; i < clients; ++i) {
    all.push_back(std::make_shared<Client>(io, &s));
    all.back()->Start(ep);
  }
  all.clear();
  io.run();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  int64_t done = static_cast<int64_t>(s.latencies_ms.size()) * pipeline;
  std::sort(s.latencies_ms.begin(), s.latencies_ms.end());
  double p50 = s.latencies_ms.empty() ? 0 : s.latencies_ms[s.latencies_ms.size() / 2];
  std::printf("units_per_sec=%.0f p50_ms=%.3f errors=%lld units=%lld\n", done / secs, p50,
              static_cast<long long>(s.errors), static_cast<long long>(done));
  return done == units ? 0 : 1;
}
