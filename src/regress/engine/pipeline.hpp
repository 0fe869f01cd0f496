#pragma once
// Internal to the engine: chunks through worker threads, results in order.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace regress::engine {

/// A chunk of the input for a worker: [begin, end), whole records.
struct task {
  std::size_t index = 0;  ///< the chunk's place in the input: 0, 1, ...
  const char* begin = nullptr;
  const char* end = nullptr;
  bool quoted = false;       ///< holds a quote: read with the careful reader
  int buffer = -1;           ///< stream buffer to recycle, or -1
  std::uint64_t offset = 0;  ///< byte offset of `end` in the input, for progress
};

/// What the consumer of a chunk's result tells the pipeline.
enum class next_step {
  go_on,  ///< consume the next chunk
  stop,   ///< drop every chunk not yet consumed and accept no more
};

/// Runs `work` on chunks in worker threads (or inline with one thread) and
/// hands the results to `consume` in chunk order on the calling thread. At
/// most `window` chunks are in flight, which bounds memory. Instantiated in
/// pipeline.cpp for the results of the two passes (accumulate.hpp).
template <class Result>
class chunk_pipeline {
 public:
  using work_fn = std::function<Result(const task&)>;
  using consume_fn = std::function<next_step(const task&, Result&)>;

  /// Starts `threads` workers when threads > 1; with one, work runs inline
  /// in submit.
  chunk_pipeline(unsigned threads, std::size_t window, work_fn work, consume_fn consume);
  chunk_pipeline(const chunk_pipeline&) = delete;
  chunk_pipeline& operator=(const chunk_pipeline&) = delete;
  /// Stops and joins the workers (a chunk being worked on is finished first).
  ~chunk_pipeline();

  /// Queues a chunk, first consuming the oldest ones while `window` are in
  /// flight. False, doing nothing, once the consumer has said stop. Rethrows
  /// what work or consume throws.
  bool submit(const task& t);
  /// Waits for every chunk and consumes it. False when the consumer said
  /// stop. Rethrows what work or consume throws.
  bool finish();
  /// Blocks until the oldest in-flight chunk is consumed (frees a buffer).
  /// Rethrows what work or consume throws.
  void wait_one();

 private:
  void consume_one(std::unique_lock<std::mutex>& lock);
  void serve();
  void stop();

  struct done_entry {
    task t;
    Result result{};
    std::exception_ptr failure;
  };
  std::size_t window_;
  work_fn work_;
  consume_fn consume_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<task> queue_;
  std::map<std::size_t, done_entry> done_;
  std::size_t submitted_ = 0, consumed_ = 0;
  bool stopping_ = false;
  bool stopped_ = false;  // the consumer said stop
};

/// The number of worker threads for a request: 0 means the hardware's
/// concurrency (1 when unknown).
unsigned thread_count(unsigned requested);

}  // namespace regress::engine
