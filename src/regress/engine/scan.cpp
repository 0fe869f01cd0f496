#include "regress/engine/scan.hpp"

namespace regress::engine {

std::string ragged_text(std::size_t fields, std::size_t columns) {
  return "this row has " + std::to_string(fields) + " fields but the header has " +
         std::to_string(columns) +
         "; every row needs one field per column (quote fields that contain the delimiter)";
}

std::string bad_cell_text(std::string_view cell, const std::string& column) {
  std::string shown =
      cell.size() > 40 ? std::string(cell.substr(0, 40)) + "..." : std::string(cell);
  return "cannot read '" + shown + "' in column '" + column +
         "' as a number; write a finite number, or leave the cell empty or NA to mark it "
         "missing";
}

}  // namespace regress::engine
