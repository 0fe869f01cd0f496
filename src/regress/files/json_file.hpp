#pragma once
/// \file json_file.hpp
/// What model files (model_io.cpp) and state files (state_file.cpp) share:
/// parsing a versioned regress JSON file, reading its fields with a message
/// naming the file for every defect, and writing double-doubles and names.
/// Private to regress_core.

#include <cstddef>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "regress/model/double_double.hpp"
#include "regress/model/model_spec.hpp"

namespace regress::files {

using json = nlohmann::json;

/// One kind of regress JSON file and the words its messages use.
struct json_kind {
  const char* format;        ///< the "format" field, e.g. "regress-model"
  const char* noun;          ///< "model" or "state", as in "not a regress model file"
  int version;               ///< the newest "version" this regress reads and writes
  const char* field_hint;    ///< what to do about a bad field
  const char* version_hint;  ///< what to do about a file of another version
  int oldest = 0;            ///< the oldest version still read; 0: only `version`
};

/// Reads fields of a parsed file; every failure is a model_error naming the
/// source and ending in the kind's hint.
class json_reader {
 public:
  /// `source` names the file in messages; `hint` is appended to each of them.
  json_reader(std::string source, std::string hint);

  /// Throws model_error "<source>: <what>; <hint>".
  [[noreturn]] void fail(const std::string& what) const;
  /// obj[key]; fails when obj is not an object or has no such field.
  const json& field(const json& obj, const char* key) const;
  /// v as a finite double; `what` names it in the message.
  double finite(const json& v, const std::string& what) const;
  /// The finite number obj[key].
  double number(const json& obj, const char* key) const;
  /// The non-negative integer obj[key], at most 2^53 (exact as a double).
  std::size_t count(const json& obj, const char* key) const;
  /// The integer obj[key] from `lo` to `hi`.
  long long integer(const json& obj, const char* key, long long lo, long long hi) const;
  /// The boolean obj[key].
  bool boolean(const json& obj, const char* key) const;
  /// The string obj[key].
  std::string string(const json& obj, const char* key) const;
  /// A [high, low] double-double (finite, low below an ulp of high); `key`
  /// names the field holding it.
  dd pair(const json& v, const char* key) const;
  /// The double-double obj[key].
  dd single(const json& obj, const char* key) const;
  /// obj[key] as exactly `size` double-doubles.
  std::vector<dd> pairs(const json& obj, const char* key, std::size_t size) const;
  /// v as exactly `size` finite numbers; `what` names it in the message.
  std::vector<double> numbers(const json& v, std::size_t size, const std::string& what) const;
  /// Response, predictors, degree and intercept (not level, not validated):
  /// the head both kinds of file begin with.
  model_spec spec(const json& root) const;

 private:
  std::string source_;
  std::string hint_;
};

/// The largest model or state file read, in bytes.
inline constexpr std::size_t max_json_bytes = std::size_t(64) << 20;
/// The deepest nesting of arrays and objects read (regress writes 3).
inline constexpr int max_json_depth = 16;

/// Parses `in` and checks its "format" and "version" fields against `kind`;
/// throws model_error naming `source` for anything else, for more than
/// max_json_bytes and for nesting deeper than max_json_depth.
json parse_versioned(std::istream& in, const std::string& source, const json_kind& kind);

/// A new file of `kind`: its "format" and "version" fields.
json versioned_object(const json_kind& kind);

/// Throws model_error when a name the file would hold is not valid UTF-8:
/// JSON holds UTF-8 only, and nlohmann would throw a type_error mid-write.
void check_names(const model_spec& spec, const json_kind& kind);

/// The "shards" field of a state file: `shards`, or a new id when empty.
json shards_json(const std::vector<std::string>& shards);

/// The "shards" field of a state file; empty when absent (a file from before
/// ids). Fails through `rd` for anything but ids of 32 hex digits.
std::vector<std::string> read_shards(const json& root, const json_reader& rd);

/// A double-double as [hi, lo].
json dd_json(const dd& v);

/// Double-doubles as an array of [hi, lo].
json dd_vector_json(const std::vector<dd>& v);

/// Writes `j` as the files are written: dump(1) and a newline; nlohmann
/// writes each double as the shortest text that reads back to the same bits.
void write_json(std::ostream& out, const json& j);

}  // namespace regress::files
