#pragma once
/// \file number.hpp
/// Reading one CSV cell as a number, in the C locale, correctly rounded.

#include <string_view>

#include "regress/model/double_double.hpp"

namespace regress {

enum class cell_kind {
  number,   ///< a finite number was read
  missing,  ///< empty, NA, NaN, null (any case), after trimming spaces
  invalid,  ///< anything else, including inf/infinity and out-of-range values
};

/// Parses a cell. Accepts surrounding spaces/tabs, a leading '+', exponents,
/// ".5" and "5.". On cell_kind::number, `value` holds the correctly rounded
/// double; otherwise `value` is unspecified. Never throws.
cell_kind parse_cell(std::string_view text, double& value) noexcept;

/// As parse_cell, and also the decimal's low part: on cell_kind::number,
/// value.hi is the correctly rounded double and value.hi + value.lo the
/// decimal to about 32 significant digits, so data such as NIST's 0.1-steps
/// enter the fit as written, not as their nearest doubles. (lo is 0 for texts
/// of more than 18 significant digits or beyond 1e+-300.)
cell_kind parse_cell(std::string_view text, dd& value) noexcept;

/// True when `text` (already trimmed or not) is one of the missing markers.
bool is_missing_marker(std::string_view text) noexcept;

}  // namespace regress
