#include "regress/engine/pipeline.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

#include "regress/engine/accumulate.hpp"
#include "regress/engine/formula_passes.hpp"

namespace regress::engine {

template <class Result>
chunk_pipeline<Result>::chunk_pipeline(unsigned threads, std::size_t window, work_fn work,
                                       consume_fn consume)
    : window_(std::max<std::size_t>(window, 1)),
      work_(std::move(work)),
      consume_(std::move(consume)) {
  if (threads > 1) {
    try {
      for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { serve(); });
    } catch (const std::system_error&) {
      // The system refused a thread (a process limit, no memory for its
      // stack): run with those started; with none, work runs inline.
    }
  }
}

template <class Result>
chunk_pipeline<Result>::~chunk_pipeline() {
  stop();
}

template <class Result>
bool chunk_pipeline<Result>::submit(const task& t) {
  if (stopped_) return false;
  if (workers_.empty()) {
    Result r = work_(t);
    stopped_ = consume_(t, r) == next_step::stop;
    return !stopped_;
  }
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped_ && submitted_ - consumed_ >= window_) consume_one(lock);
  if (stopped_) return false;
  queue_.push_back(t);
  ++submitted_;
  work_cv_.notify_one();
  return true;
}

template <class Result>
bool chunk_pipeline<Result>::finish() {
  if (workers_.empty()) return !stopped_;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped_ && consumed_ < submitted_) consume_one(lock);
  return !stopped_;
}

template <class Result>
void chunk_pipeline<Result>::wait_one() {
  if (workers_.empty()) return;
  std::unique_lock<std::mutex> lock(mu_);
  if (!stopped_ && consumed_ < submitted_) consume_one(lock);
}

template <class Result>
void chunk_pipeline<Result>::consume_one(std::unique_lock<std::mutex>& lock) {
  done_cv_.wait(lock, [&] { return done_.count(consumed_) > 0; });
  auto node = done_.extract(consumed_);
  lock.unlock();
  if (node.mapped().failure) std::rethrow_exception(node.mapped().failure);
  next_step step = next_step::go_on;
  try {
    step = consume_(node.mapped().t, node.mapped().result);
  } catch (...) {
    lock.lock();
    ++consumed_;
    throw;
  }
  lock.lock();
  ++consumed_;
  if (step == next_step::stop) {
    // The chunks still queued are never worked on; those being worked on
    // finish into done_ and are dropped with the pipeline.
    stopped_ = true;
    queue_.clear();
  }
}

template <class Result>
void chunk_pipeline<Result>::serve() {
  for (;;) {
    task t;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      t = queue_.front();
      queue_.pop_front();
    }
    done_entry entry;
    entry.t = t;
    try {
      entry.result = work_(t);
    } catch (...) {
      entry.failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mu_);
    done_.emplace(t.index, std::move(entry));
    done_cv_.notify_all();
  }
}

template <class Result>
void chunk_pipeline<Result>::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  work_cv_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
}

template class chunk_pipeline<pass1_result>;
template class chunk_pipeline<pass2_result>;
template class chunk_pipeline<formula_pass1>;
template class chunk_pipeline<formula_pass2>;
template class chunk_pipeline<formula_row_pass>;
template class chunk_pipeline<shared_pass1>;
template class chunk_pipeline<shared_pass2>;

unsigned thread_count(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

}  // namespace regress::engine

namespace regress {

unsigned startable_threads(unsigned requested) {
  const unsigned wanted = engine::thread_count(requested);
  if (wanted <= 1) return 1;
  // The threads must live at once: a limit on processes counts them so.
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::thread> started;
  started.reserve(wanted);
  try {
    while (started.size() < wanted) {
      started.emplace_back([&] {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return release; });
      });
    }
  } catch (const std::system_error&) {
    // As many as the system allows.
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  for (auto& t : started) t.join();
  return std::max<unsigned>(static_cast<unsigned>(started.size()), 1);
}

}  // namespace regress
