// DrainingReadBuffer: a read buffer for Asio's async_read_some whose short
// reads tell Asio's epoll reactor that the socket is drained.
//
// Why: Asio 1.22 registers sockets edge-triggered and, before it waits for
// readiness, tries every read speculatively. It stops speculating only
// after a read of 0 bytes (end of stream). A request/response server reads
// a request, writes the reply and starts the next read before the client
// can have answered, so every request costs one extra recv() that returns
// EAGAIN: about 240 ns of kernel time on this machine kind, 4% of the CPU
// of an unpipelined MULTI/EXEC unit (bench/redis_benchmark_compare.sh).
// redis-server reads once per readiness.
//
// How: a read into this buffer that returns fewer bytes than the buffer
// holds reports "done and exhausted", as a read of 0 bytes does. The
// reactor then waits for the next EPOLLIN edge before it reads again.
// That is safe for a TCP stream: a short recv() means the receive queue
// was empty when the kernel finished copying, and any byte that arrives
// later raises a new edge, which sets the reactor's speculate flag again
// (epoll_reactor::descriptor_state::perform_io) and performs the queued
// read. Only reads into a DrainingReadBuffer change; every other read
// keeps Asio's behaviour.
//
// The hook is an explicit specialization of Asio's detail class
// reactive_socket_recv_op_base for this buffer type, so it is tied to the
// Asio version and reactor it was written against (Debian bookworm's
// 1.22.1, epoll). On any other version or reactor the specialization is
// left out and reads behave exactly as Asio's own (kDrainingReads says
// which one was built).
#ifndef TXLAB_IMPL_SERVER_DRAINING_READ_H_
#define TXLAB_IMPL_SERVER_DRAINING_READ_H_

#include <asio.hpp>
#include <atomic>
#include <cstdint>

namespace txlab {

// A MutableBufferSequence of one buffer.
struct DrainingReadBuffer {
  asio::mutable_buffer buffer;
  const asio::mutable_buffer* begin() const { return &buffer; }
  const asio::mutable_buffer* end() const { return &buffer + 1; }
};

// recv() calls made for DrainingReadBuffer reads that found nothing to
// read (EAGAIN), over the process: what the hook exists to avoid. For tests.
inline std::atomic<uint64_t> draining_read_would_block{0};

#if ASIO_VERSION == 102201 && defined(ASIO_HAS_EPOLL) && !defined(ASIO_HAS_IO_URING)
inline constexpr bool kDrainingReads = true;
#else
inline constexpr bool kDrainingReads = false;
#endif

}  // namespace txlab

#if ASIO_VERSION == 102201 && defined(ASIO_HAS_EPOLL) && !defined(ASIO_HAS_IO_URING)
namespace asio::detail {

// Asio's do_perform for one buffer (reactive_socket_recv_op.hpp), plus:
// a short read of a stream is done_and_exhausted.
template <>
inline reactor_op::status reactive_socket_recv_op_base<txlab::DrainingReadBuffer>::do_perform(reactor_op* base) {
  auto* o = static_cast<reactive_socket_recv_op_base*>(base);
  const asio::mutable_buffer b = o->buffers_.buffer;
  const bool is_stream = (o->state_ & socket_ops::stream_oriented) != 0;
  if (!socket_ops::non_blocking_recv1(o->socket_, b.data(), b.size(), o->flags_, is_stream, o->ec_,
                                      o->bytes_transferred_)) {
    txlab::draining_read_would_block.fetch_add(1, std::memory_order_relaxed);
    return not_done;
  }
  if (is_stream && o->bytes_transferred_ < b.size()) return done_and_exhausted;
  return done;
}

}  // namespace asio::detail
#endif

#endif  // TXLAB_IMPL_SERVER_DRAINING_READ_H_
