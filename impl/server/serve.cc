#include "impl/server/serve.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "impl/engine/engine.h"
#include "impl/server/server.h"

namespace txlab {

void AddServeFlags(CLI::App& app, ServeConfig* c) {
  app.add_option("--bind", c->bind, "Loopback address to listen on")->capture_default_str();
  app.add_option("--port", c->port, "TCP port (0: any free port)")->capture_default_str()->check(CLI::Range(0, 65535));
  app.add_option("--requirepass", c->requirepass, "Password for AUTH (empty: none)");
  app.add_option("--threads", c->threads, "Event-loop threads (0: max(1, cores / 2))")->capture_default_str()->check(CLI::Range(0, 256));
  app.add_option("--busy-poll", c->busy_poll_us,
                 "Microseconds an idle event loop polls before it sleeps (0: sleep at once; "
                 "fewer wake-ups under load, at the cost of that much CPU after each burst)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1000000}));
  app.add_option("--busy-reply-threshold", c->busy_reply_threshold_ms,
                 "Milliseconds a script runs before other clients get BUSY (lua-time-limit)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  app.add_option("--seed", c->seed, "Seed of math.random inside scripts")->capture_default_str();
  app.add_flag("!--no-active-expire", c->active_expire,
               "No background expiry: expired keys go when looked up (as DEBUG SET-ACTIVE-EXPIRE 0)");
}

int RunServe(const ServeConfig& config) {
  // Block the stop signals before any thread starts, so that every thread
  // inherits the mask and only the waiter below receives them. (The Lua
  // layer's own timer signal is left alone.)
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  EngineOptions eo;
  eo.busy_reply_threshold_ms = config.busy_reply_threshold_ms;
  eo.lua_random_seed = config.seed;
  eo.active_expire = config.active_expire;
  Engine engine(eo);

  ServerOptions so;
  so.bind = config.bind;
  so.port = config.port;
  so.requirepass = config.requirepass;
  so.threads = config.threads;
  so.busy_poll = std::chrono::microseconds(config.busy_poll_us);
  so.busy_reply_threshold_ms = config.busy_reply_threshold_ms;
  auto server = std::make_unique<Server>(&engine, so);
  std::string error;
  if (!server->Start(&error)) {
    std::fprintf(stderr, "txlab serve: %s\n", error.c_str());
    return 1;
  }
  std::printf("txlab serve: listening on %s:%d (pid %d)\n", config.bind.c_str(), server->port(),
              static_cast<int>(::getpid()));
  std::fflush(stdout);

  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server->RequestShutdown();
  });
  server->WaitForShutdownRequest();
  std::fprintf(stderr, "txlab serve: stopping\n");
  bool stopped = server->Stop(std::chrono::seconds(10));
  // Wake the waiter if SHUTDOWN, not a signal, ended the run.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  if (!stopped) {
    // A script that already wrote cannot be killed (S4) and holds a worker:
    // like SHUTDOWN NOSAVE, leave without waiting for it.
    std::fprintf(stderr, "txlab serve: a running script did not stop within 10 s; exiting anyway\n");
    std::fflush(stderr);
    std::_Exit(1);
  }
  server.reset();
  return 0;
}

}  // namespace txlab
