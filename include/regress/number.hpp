#pragma once
/// \file number.hpp
/// Reading one CSV cell as a number, in the C locale, correctly rounded.

#include <string_view>

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

/// True when `text` (already trimmed or not) is one of the missing markers.
bool is_missing_marker(std::string_view text) noexcept;

}  // namespace regress
