#include "regress/engine/records.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "regress/engine/input.hpp"
#include "regress/error.hpp"

namespace regress::engine {
namespace {

const char* skip_bom(const char* p, const char* end) {
  if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  return p;
}

}  // namespace

layout make_layout(const column_choice& c, std::size_t columns, char delim) {
  layout l;
  l.delimiter = delim;
  l.columns = columns;
  l.slot.assign(columns, -1);
  for (std::size_t s = 0; s < c.indices.size(); ++s) {
    l.slot.at(c.indices[s]) = static_cast<int>(s);
    l.index.push_back(c.indices[s]);
    l.name.push_back(s == 0 ? c.spec.response : c.spec.predictors[s - 1]);
  }
  return l;
}

const char* walk_to_record_end(const char* s, const char* target, const char* end, char delim) {
  bool quoted = false, field_start = true;
  for (const char* p = s; p < end; ++p) {
    const char c = *p;
    if (quoted) {
      if (c == '"') {
        if (p + 1 < end && p[1] == '"') {
          ++p;
        } else {
          quoted = false;
        }
      }
      continue;
    }
    if (c == '\n') {
      if (p >= target) return p + 1;
      field_start = true;
    } else if (c == delim) {
      field_start = true;
    } else if (c == '"' && field_start) {
      quoted = true;
      field_start = false;
    } else {
      field_start = false;
    }
  }
  return end;
}

const char* find_cut(const char* s, const char* target, const char* end, char delim, bool& quoted) {
  const auto* nl =
      static_cast<const char*>(std::memchr(target, '\n', static_cast<std::size_t>(end - target)));
  const char* stop = nl == nullptr ? end : nl + 1;
  quoted = std::memchr(s, '"', static_cast<std::size_t>(stop - s)) != nullptr;
  if (!quoted || nl == nullptr) return stop;
  const char* cut = walk_to_record_end(s, target, end, delim);
  quoted = std::memchr(s, '"', static_cast<std::size_t>(cut - s)) != nullptr;
  return cut;
}

const char* read_header(const char* p, const char* end, const engine_options& o,
                        std::vector<std::string>& header, std::size_t& lines) {
  p = skip_bom(p, end);
  // A header is read into memory: only its first max_line_bytes are looked
  // at, and a header that does not end within them is refused.
  const std::size_t limit = std::max<std::size_t>(o.max_line_bytes, 1);
  const char* stop = static_cast<std::size_t>(end - p) > limit ? p + limit : end;
  // Blank lines before the header are skipped, as csv_reader does.
  careful_reader reader(p, stop, o.delimiter);
  chunk_error err;
  std::size_t line = 0;
  const bool read = reader.next(header, line, err);
  if (stop != end && (!read || reader.position() >= stop)) {
    header.clear();
    throw data_error(too_long_message("the header", limit), o.source, 1);
  }
  if (!read) {
    if (err.set) throw data_error(err.message, o.source, err.line + 1, err.column);
    throw data_error("the input is empty; it needs a header row and data rows", o.source);
  }
  lines = reader.lines();
  return reader.position();
}

bool holds_complete_header(const char* b, const char* e, char delim) {
  careful_reader probe(skip_bom(b, e), e, delim);
  std::vector<std::string> fields;
  std::size_t line = 0;
  chunk_error err;
  return probe.next(fields, line, err) && probe.position()[-1] == '\n';
}

}  // namespace regress::engine
