#include "regress/engine/accumulate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "regress/engine/scan.hpp"
#include "regress/engine/wide_accumulate.hpp"
#include "regress/model/sum2.hpp"
#include "regress/model/wide_solve.hpp"

namespace regress::engine {
namespace {

/// The cross products of one chunk, accumulated with few renormalisations:
/// every product of the shifted values is formed exactly (TwoProd with the
/// low parts' cross terms) and added to a double running sum whose rounding
/// errors (TwoSum) go, with the products' low parts, to a second double
/// (Ogita, Rump and Oishi's Sum2: as accurate as summing in twice the
/// precision). Every `block` rows the pairs are folded into double-double
/// totals, which bounds the error of the plain second sum to
/// block x eps^2 relative: with 256 rows the same order as adding every
/// product in double-double, at a fraction of the cost.
template <std::size_t M>
class chunk_accumulator {
 public:
  static constexpr int block = sum2::block;

  chunk_accumulator(std::size_t np, int degree, bool intercept)
      : np_(np),
        degree_(degree),
        intercept_(intercept),
        m_(M > 0 ? M : np + static_cast<std::size_t>(degree)),
        pairs_(m_ * (m_ + 1) / 2),
        shift_(m_, 0.0),
        terms_(m_),
        zh_(m_),
        zl_(m_),
        s_(pairs_ + m_, 0.0),
        c_(pairs_ + m_, 0.0),
        lane_s_(M > 0 ? (pairs_ + m_) * lanes : 0, 0.0),
        lane_c_(M > 0 ? (pairs_ + m_) * lanes : 0, 0.0),
        total_(pairs_ + m_) {}

  void add(const dd* predictors, dd y) {
    // With M known (no powers), the loops below have constant bounds.
    const std::size_t m = M > 0 ? M : m_;
    if (M > 0) {
      for (std::size_t j = 0; j + 1 < m; ++j) terms_[j] = predictors[j];
    } else {
      expand_terms(degree_, predictors, np_, terms_.data());
    }
    terms_[m - 1] = y;
    if (n_ == 0 && intercept_) {
      for (std::size_t j = 0; j < m; ++j) shift_[j] = terms_[j].hi;
    }
    for (std::size_t j = 0; j < m; ++j) {
      // z = term - shift as a normalised double-double.
      const dd d = two_diff(terms_[j].hi, shift_[j]);
      const double lo = d.lo + terms_[j].lo;
      const double hi = d.hi + lo;
      zh_[j] = hi;
      zl_[j] = lo - (hi - d.hi);
    }
    double* s = s_.data();
    double* c = c_.data();
    std::size_t idx = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const double ah = zh_[i], al = zl_[i];
      for (std::size_t j = 0; j <= i; ++j, ++idx)
        add_product(s[idx], c[idx], ah, al, zh_[j], zl_[j]);
    }
    for (std::size_t j = 0; j < m; ++j, ++idx) add_value(s[idx], c[idx], zh_[j], zl_[j]);
    ++n_;
    if (++pending_ == block) fold();
  }

  static constexpr std::size_t lanes = sum2::lanes;

  /// Adds `count` rows (M > 0 only), given column by column: term j of row k
  /// is hi[j * stride + k] + lo[j * stride + k], the response last. Rows go
  /// round-robin to four lanes, each its own Sum2 accumulation, so the same
  /// arithmetic runs on four rows at once in vector registers (the cost of
  /// the exact products was three-quarters of a fit's time above the bare
  /// parse); lanes are folded into the totals with the rest. The order of
  /// operations depends only on the rows' order, never on threads.
  void add_rows(const double* hi, const double* lo, std::size_t stride, std::size_t count) {
    static_assert(M > 0, "add_rows needs a fixed number of terms");
    if (n_ == 0 && intercept_ && count > 0) {
      for (std::size_t j = 0; j < M; ++j) shift_[j] = hi[j * stride];
    }
    sum2::add_rows<M>(lane_s_.data(), lane_c_.data(), shift_.data(), hi, lo, stride, count);
    n_ += count;
    pending_ += static_cast<int>(count);
    if (pending_ >= block) fold();
  }

  ols_state finish() {
    fold();
    std::vector<dd> cross(total_.begin(), total_.begin() + static_cast<std::ptrdiff_t>(pairs_));
    std::vector<dd> sums(total_.begin() + static_cast<std::ptrdiff_t>(pairs_), total_.end());
    return ols_state::from_parts(np_, degree_, intercept_, static_cast<double>(n_), shift_,
                                 std::move(sums), std::move(cross));
  }

 private:
  static void add_product(double& s, double& c, double ah, double al, double bh, double bl) {
    sum2::add_product(s, c, ah, al, bh, bl);
  }
  static void add_value(double& s, double& c, double h, double l) { sum2::add_value(s, c, h, l); }
  static void shifted(double th, double tl, double shift, double& zh, double& zl) {
    sum2::shifted(th, tl, shift, zh, zl);
  }
  void fold() {
    for (std::size_t i = 0; i < s_.size(); ++i) {
      if constexpr (M > 0) {
        for (std::size_t l = 0; l < lanes; ++l) {
          total_[i] += dd_detail::two_sum(lane_s_[i * lanes + l], lane_c_[i * lanes + l]);
          lane_s_[i * lanes + l] = 0;
          lane_c_[i * lanes + l] = 0;
        }
      } else {
        total_[i] += dd_detail::two_sum(s_[i], c_[i]);
        s_[i] = 0;
        c_[i] = 0;
      }
    }
    pending_ = 0;
  }

  std::size_t np_;
  int degree_;
  bool intercept_;
  std::size_t m_;      // slope terms + response
  std::size_t pairs_;  // packed lower triangle
  std::vector<double> shift_;
  std::vector<dd> terms_;
  std::vector<double> zh_, zl_;
  std::vector<double> s_, c_;            // cross products then sums
  std::vector<double> lane_s_, lane_c_;  // the same per lane (add_rows), [slot][lane]
  std::vector<dd> total_;
  std::size_t n_ = 0;
  int pending_ = 0;
};

/// Per chunk: everything the first pass learns. `Acc` is
/// chunk_accumulator<M>, or wide_accumulator (M = 0) for many terms.
template <std::size_t M, class Acc = chunk_accumulator<M>>
struct fit_sink {
  std::size_t np;
  Acc acc;
  std::size_t records = 0, dropped = 0;
  std::vector<double> min, max;  // per predictor (high parts)
  std::vector<double> extremes;  // 2 np rows of np values: argmin, argmax per predictor
  std::vector<double> hi;

  static constexpr std::size_t rows_per_block = 64;
  // M > 0: rows not yet accumulated, term by term ([term][row]).
  std::vector<double> rows_hi, rows_lo;
  std::size_t waiting = 0;

  fit_sink(std::size_t predictors, int degree, bool intercept)
      : np(predictors),
        acc(predictors, degree, intercept),
        min(predictors, HUGE_VAL),
        max(predictors, -HUGE_VAL),
        extremes(2 * predictors * predictors, 0.0),
        hi(predictors),
        rows_hi(M * rows_per_block),
        rows_lo(M * rows_per_block) {}

  /// Accumulates the waiting rows; call before reading acc.
  void flush() {
    if constexpr (M > 0) {
      acc.add_rows(rows_hi.data(), rows_lo.data(), rows_per_block, waiting);
      waiting = 0;
    }
  }

  void row(const dd* v, bool missing) {
    ++records;
    if (missing) {
      ++dropped;
      return;
    }
    if constexpr (M > 0) {
      // Rows wait in a small block, column by column, and reach the
      // accumulator together; the response is the last term.
      for (std::size_t j = 0; j + 1 < M; ++j) {
        rows_hi[j * rows_per_block + waiting] = v[1 + j].hi;
        rows_lo[j * rows_per_block + waiting] = v[1 + j].lo;
      }
      rows_hi[(M - 1) * rows_per_block + waiting] = v[0].hi;
      rows_lo[(M - 1) * rows_per_block + waiting] = v[0].lo;
      if (++waiting == rows_per_block) flush();
    } else {
      acc.add(v + 1, v[0]);
    }
    for (std::size_t j = 0; j < np; ++j) hi[j] = v[1 + j].hi;
    for (std::size_t j = 0; j < np; ++j) {
      if (hi[j] < min[j]) {
        min[j] = hi[j];
        std::copy(hi.begin(), hi.end(), extremes.begin() + static_cast<std::ptrdiff_t>(2 * j * np));
      }
      if (hi[j] > max[j]) {
        max[j] = hi[j];
        std::copy(hi.begin(), hi.end(),
                  extremes.begin() + static_cast<std::ptrdiff_t>((2 * j + 1) * np));
      }
    }
  }
};

/// Per chunk: what the second pass learns from the rows and the fit.
struct residual_sink {
  const ols_fit& fit;
  bool want_leverage;
  bool want_residuals;
  dd rss;
  double max_leverage = 0;
  std::vector<double> residuals;
  std::vector<std::size_t> records;  // with residuals: each one's record in the chunk (0-based)
  std::size_t record = 0;            // records seen, missing ones too
  std::vector<double> hi;

  // Wide models: rows wait for their leverages in blocks (one triangular
  // solve per block, in double, instead of a double-double solve per row).
  static constexpr std::size_t block = 256;
  std::unique_ptr<leverage_batch> batch;
  std::vector<double> waiting;

  residual_sink(const ols_fit& f, bool leverage_wanted, bool residuals_wanted)
      : fit(f),
        want_leverage(leverage_wanted),
        want_residuals(residuals_wanted),
        hi(f.predictor_count) {
    if (want_leverage && f.degree == 1 && f.k() >= wide_terms) {
      batch = std::make_unique<leverage_batch>(f);
    }
  }

  /// Finds the leverages of the waiting rows; call before reading max_leverage.
  void flush() {
    if (!batch || waiting.empty()) return;
    max_leverage =
        std::max(max_leverage, batch->max_leverage(waiting.data(), waiting.size() / hi.size()));
    waiting.clear();
  }

  void row(const dd* v, bool missing) {
    ++record;
    if (missing) return;
    add_squared_residual(fit, v + 1, v[0], rss);
    for (std::size_t j = 0; j < hi.size(); ++j) hi[j] = v[1 + j].hi;
    if (batch) {
      waiting.insert(waiting.end(), hi.begin(), hi.end());
      if (waiting.size() == block * hi.size()) flush();
    } else if (want_leverage) {
      max_leverage = std::max(max_leverage, leverage(fit, hi.data()));
    }
    if (want_residuals) {
      residuals.push_back(v[0].hi - fitted_value(fit, hi.data()));
      records.push_back(record - 1);
    }
  }
};

template <std::size_t M, class Acc = chunk_accumulator<M>>
pass1_result run_pass1_fixed(const task& t, const layout& l, const model_spec& spec) {
  fit_sink<M, Acc> sink(spec.predictors.size(), spec.degree, spec.intercept);
  pass1_result r;
  r.lines = scan_chunk(t.begin, t.end, t.quoted, l, r.error, sink);
  sink.flush();
  r.state = sink.acc.finish();
  r.records = sink.records;
  r.dropped = sink.dropped;
  r.min = std::move(sink.min);
  r.max = std::move(sink.max);
  r.extremes = std::move(sink.extremes);
  return r;
}

}  // namespace

REGRESS_HOT_CLONES
pass1_result run_pass1(const task& t, const layout& l, const model_spec& spec) {
  if (spec.degree == 1) {
    switch (spec.predictors.size()) {
      case 1:
        return run_pass1_fixed<2>(t, l, spec);
      case 2:
        return run_pass1_fixed<3>(t, l, spec);
      case 3:
        return run_pass1_fixed<4>(t, l, spec);
      case 4:
        return run_pass1_fixed<5>(t, l, spec);
      case 5:
        return run_pass1_fixed<6>(t, l, spec);
      case 6:
        return run_pass1_fixed<7>(t, l, spec);
      case 7:
        return run_pass1_fixed<8>(t, l, spec);
      case 8:
        return run_pass1_fixed<9>(t, l, spec);
      case 9:
        return run_pass1_fixed<10>(t, l, spec);
      case 10:
        return run_pass1_fixed<11>(t, l, spec);
      default:
        break;
    }
  }
  if (spec.degree == 1 && spec.predictors.size() >= wide_terms) {
    return run_pass1_fixed<0, wide_accumulator>(t, l, spec);
  }
  return run_pass1_fixed<0>(t, l, spec);
}

namespace {
template <std::size_t M, class Acc = chunk_accumulator<M>>
class pass1_rows_of final : public pass1_rows {
 public:
  explicit pass1_rows_of(const model_spec& spec)
      : sink_(spec.predictors.size(), spec.degree, spec.intercept) {}
  void row(const dd* values, bool missing) override { sink_.row(values, missing); }
  pass1_result finish() override {
    pass1_result r;
    sink_.flush();
    r.state = sink_.acc.finish();
    r.records = sink_.records;
    r.dropped = sink_.dropped;
    r.min = std::move(sink_.min);
    r.max = std::move(sink_.max);
    r.extremes = std::move(sink_.extremes);
    return r;
  }

 private:
  fit_sink<M, Acc> sink_;
};
}  // namespace

std::unique_ptr<pass1_rows> make_pass1_rows(const model_spec& spec) {
  // The same accumulator as run_pass1 chooses.
  if (spec.degree == 1) {
    switch (spec.predictors.size()) {
      case 1:
        return std::make_unique<pass1_rows_of<2>>(spec);
      case 2:
        return std::make_unique<pass1_rows_of<3>>(spec);
      case 3:
        return std::make_unique<pass1_rows_of<4>>(spec);
      case 4:
        return std::make_unique<pass1_rows_of<5>>(spec);
      case 5:
        return std::make_unique<pass1_rows_of<6>>(spec);
      case 6:
        return std::make_unique<pass1_rows_of<7>>(spec);
      case 7:
        return std::make_unique<pass1_rows_of<8>>(spec);
      case 8:
        return std::make_unique<pass1_rows_of<9>>(spec);
      case 9:
        return std::make_unique<pass1_rows_of<10>>(spec);
      case 10:
        return std::make_unique<pass1_rows_of<11>>(spec);
      default:
        break;
    }
  }
  if (spec.degree == 1 && spec.predictors.size() >= wide_terms) {
    return std::make_unique<pass1_rows_of<0, wide_accumulator>>(spec);
  }
  return std::make_unique<pass1_rows_of<0>>(spec);
}

/// The second pass's sinks: the fit's, and one per `also` fit.
struct pass2_sinks {
  residual_sink main;
  std::vector<residual_sink> also;
  void row(const dd* v, bool missing) {
    main.row(v, missing);
    for (auto& s : also) s.row(v, missing);
  }
};

pass2_result run_pass2(const task& t, const layout& l, const ols_fit& fit, bool leverage_wanted,
                       bool residuals_wanted, const std::vector<const ols_fit*>& also) {
  pass2_sinks sinks{residual_sink(fit, leverage_wanted, residuals_wanted), {}};
  for (const ols_fit* f : also) sinks.also.emplace_back(*f, f->degree > 1, false);
  pass2_result r;
  scan_chunk(t.begin, t.end, t.quoted, l, r.error, sinks);
  residual_sink& sink = sinks.main;
  sink.flush();
  for (auto& s : sinks.also) {
    s.flush();
    r.also_rss.push_back(s.rss);
    r.also_max_leverage.push_back(s.max_leverage);
  }
  r.rss = sink.rss;
  r.max_leverage = sink.max_leverage;
  r.residuals = std::move(sink.residuals);
  r.records = std::move(sink.records);
  r.record_count = sink.record;
  return r;
}

}  // namespace regress::engine
