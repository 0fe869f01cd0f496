#pragma once
/// \file spline.hpp
/// R's spline bases, splines::ns (natural cubic) and splines::bs (B-spline of
/// any degree): the knots learnt from the data (interior knots at R's type 7
/// quantiles, boundary knots at the range) and each row's basis values,
/// inside the boundary knots and beyond them as R's predict extends them (a
/// natural spline linearly, from its value and slope at the boundary knot; a
/// B-spline by its end polynomial pieces, the Taylor polynomial of degree
/// `degree` about a point a quarter of the way to the next knot).

#include <cstddef>
#include <string>
#include <vector>

namespace regress {

/// One ns() or bs() term's basis, as R's attributes of the basis matrix keep
/// it (what makepredictcall puts in predvars).
struct spline_basis {
  bool natural = false;         ///< ns() (true) or bs()
  int degree = 3;               ///< bs's degree; 3 for ns
  bool intercept = false;       ///< the argument `intercept`
  int df = 0;                   ///< the argument `df`; 0 when not given
  bool knots_given = false;     ///< `knots =` was given (then df is ignored, as R)
  bool bounds_given = false;    ///< `Boundary.knots =` was given
  std::vector<double> knots;    ///< interior knots, ascending
  double lower = 0, upper = 0;  ///< boundary knots
  /// How many interior knots `df` asks for (R's nIknots, at least 0); the
  /// given knots' count when they were given.
  std::size_t interior_count() const noexcept;
  /// Columns of the basis: interior knots + degree + intercept for bs,
  /// interior knots + 1 + intercept for ns.
  std::size_t width() const noexcept;
};

/// R's quantile(x, p, type = 7) of ascending values `sorted` (not empty).
double type7_quantile(const std::vector<double>& sorted, double p);

/// Learns the knots from the argument's values (every row where it is
/// known, in any order): the boundary knots at the range unless given, and
/// unless given the interior knots at type7_quantile of the values inside the
/// boundary knots, at probabilities seq(0, 1, length.out = n + 2) without
/// its ends. Throws model_error (naming `label`) when there is no value,
/// the basis would have more columns than values (or a degree above 30,
/// meaningless in floating point) or the boundary knots do not differ.
void learn_knots(spline_basis& s, std::vector<double> x, const std::string& label);

/// The basis row at x (finite): width() values, as R's ns()/bs() with the
/// learnt knots given (Boundary.knots given, so points beyond them are
/// extended as R's predict extends them).
void spline_row(const spline_basis& s, double x, double* out);

}  // namespace regress
