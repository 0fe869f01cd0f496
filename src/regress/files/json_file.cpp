#include "regress/files/json_file.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "regress/error.hpp"

namespace regress::files {

json_reader::json_reader(std::string source, std::string hint)
    : source_(std::move(source)), hint_(std::move(hint)) {}

void json_reader::fail(const std::string& what) const {
  throw model_error(source_ + ": " + what + "; " + hint_);
}

const json& json_reader::field(const json& obj, const char* key) const {
  if (!obj.is_object()) fail("expected an object holding '" + std::string(key) + "'");
  auto it = obj.find(key);
  if (it == obj.end()) fail(std::string("missing field '") + key + "'");
  return *it;
}

double json_reader::finite(const json& v, const std::string& what) const {
  if (!v.is_number()) fail(what + " is not a number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(what + " is not finite");
  return d;
}

double json_reader::number(const json& obj, const char* key) const {
  return finite(field(obj, key), std::string("field '") + key + "'");
}

std::size_t json_reader::count(const json& obj, const char* key) const {
  const json& v = field(obj, key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0)) {
    fail(std::string("field '") + key + "' is not a non-negative integer");
  }
  const auto n = v.get<unsigned long long>();
  // Counts feed doubles (n, df): beyond 2^53 they would no longer be exact.
  if (n > (1ULL << 53)) fail(std::string("field '") + key + "' is too large");
  return static_cast<std::size_t>(n);
}

long long json_reader::integer(const json& obj, const char* key, long long lo, long long hi) const {
  const json& v = field(obj, key);
  // A huge unsigned reads back negative as long long, so it is refused too.
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi) {
    fail(std::string("field '") + key + "' is not an integer from " + std::to_string(lo) + " to " +
         std::to_string(hi));
  }
  return v.get<long long>();
}

bool json_reader::boolean(const json& obj, const char* key) const {
  const json& v = field(obj, key);
  if (!v.is_boolean()) fail(std::string("field '") + key + "' is not true or false");
  return v.get<bool>();
}

std::string json_reader::string(const json& obj, const char* key) const {
  const json& v = field(obj, key);
  if (!v.is_string()) fail(std::string("field '") + key + "' is not a string");
  return v.get<std::string>();
}

dd json_reader::pair(const json& v, const char* key) const {
  if (!v.is_array() || v.size() != 2) {
    fail(std::string("field '") + key + "' must hold [high, low] number pairs");
  }
  const std::string what = std::string("a value in '") + key + "'";
  const dd out(finite(v[0], what), finite(v[1], what));
  // A double-double's low part is below an ulp of the high part; anything
  // else was not written by regress and would break the arithmetic.
  if (std::abs(out.lo) > std::abs(out.hi) * 1.2e-16) {
    fail(std::string("field '") + key + "' holds a pair that is not a double-double");
  }
  return out;
}

dd json_reader::single(const json& obj, const char* key) const {
  return pair(field(obj, key), key);
}

std::vector<dd> json_reader::pairs(const json& obj, const char* key, std::size_t size) const {
  const json& v = field(obj, key);
  if (!v.is_array() || v.size() != size) {
    fail(std::string("field '") + key + "' must hold " + std::to_string(size) + " pairs");
  }
  std::vector<dd> out;
  out.reserve(size);
  for (const auto& e : v) out.push_back(pair(e, key));
  return out;
}

std::vector<double> json_reader::numbers(const json& v, std::size_t size,
                                         const std::string& what) const {
  if (!v.is_array() || v.size() != size) {
    fail(what + " must hold " + std::to_string(size) + " numbers");
  }
  std::vector<double> out;
  out.reserve(size);
  for (const auto& e : v) out.push_back(finite(e, "a value in " + what));
  return out;
}

model_spec json_reader::spec(const json& root) const {
  model_spec s;
  s.response = string(root, "response");
  const json& preds = field(root, "predictors");
  if (!preds.is_array()) fail("field 'predictors' must be an array");
  for (const auto& p : preds) {
    if (!p.is_string()) fail("field 'predictors' must hold strings");
    s.predictors.push_back(p.get<std::string>());
  }
  s.degree = static_cast<int>(integer(root, "degree", 1, 100));
  s.intercept = boolean(root, "intercept");
  return s;
}

namespace {
/// The whole of `in`, refusing more than max_json_bytes: a file is parsed
/// into a DOM many times its size, so a size cap bounds the memory.
std::string read_capped(std::istream& in, const json_reader& give, const std::string& file) {
  std::string text;
  std::streambuf* src = in.rdbuf();
  if (src == nullptr) return text;
  std::vector<char> buffer(std::size_t(1) << 16);
  for (;;) {
    const std::streamsize n =
        src->sgetn(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (n <= 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(n));
    if (text.size() > max_json_bytes) {
      give.fail("larger than " + std::to_string(max_json_bytes >> 20) + " MiB, more than any " +
                file + " regress writes");
    }
  }
  return text;
}
}  // namespace

json parse_versioned(std::istream& in, const std::string& source, const json_kind& kind) {
  const std::string file = std::string(kind.noun) + " file";
  const json_reader give(source, "give a " + file + " saved by regress");
  const std::string text = read_capped(in, give, file);
  json root;
  try {
    // A file nested deeper than regress writes is refused as it is parsed,
    // before its DOM (and the recursion that builds and frees it) grows.
    root = json::parse(text, [&](int depth, json::parse_event_t, json&) {
      if (depth > max_json_depth) {
        give.fail("nested more than " + std::to_string(max_json_depth) + " levels deep");
      }
      return true;
    });
  } catch (const json::exception& e) {
    give.fail("not a valid " + file + " (" + e.what() + ")");
  }
  // value("format", json()): a non-string format is not a regress file, not a
  // type error escaping from nlohmann (found by tests/fuzz).
  if (!root.is_object() || root.value("format", json()) != json(kind.format)) {
    give.fail("not a regress " + file);
  }
  const json& version = json_reader(source, kind.field_hint).field(root, "version");
  const long long oldest = kind.oldest > 0 ? kind.oldest : kind.version;
  if (!version.is_number_integer() || version.get<long long>() < oldest ||
      version.get<long long>() > kind.version) {
    throw model_error(source + ": " + file + " version " + version.dump() +
                      " is not supported (this regress reads version " +
                      std::to_string(kind.version) + "); " + kind.version_hint);
  }
  return root;
}

json versioned_object(const json_kind& kind) {
  json j;
  j["format"] = kind.format;
  j["version"] = kind.version;
  return j;
}

namespace {
/// `name` with bytes outside printable ASCII as \xNN, so the message itself
/// stays valid text on any terminal.
std::string escaped(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned>(b));
      out += hex;
    }
  }
  return out;
}

/// True when nlohmann can write `text`: its own UTF-8 check is the criterion.
bool writable(const std::string& text) {
  try {
    (void)json(text).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}
}  // namespace

void check_names(const model_spec& spec, const json_kind& kind) {
  std::vector<std::string> names = spec.predictors;
  names.push_back(spec.response);
  for (const auto& name : names) {
    if (!writable(name)) {
      throw model_error("cannot save the " + std::string(kind.noun) + ": the column name '" +
                        escaped(name) + "' is not valid UTF-8; rename the column (a " + kind.noun +
                        " file is JSON, which holds UTF-8 only)");
    }
  }
}

json dd_json(const dd& v) { return json::array({v.hi, v.lo}); }

json dd_vector_json(const std::vector<dd>& v) {
  json a = json::array();
  for (const dd& x : v) a.push_back(dd_json(x));
  return a;
}

void write_json(std::ostream& out, const json& j) {
  std::string text;
  try {
    text = j.dump(1);
  } catch (const json::type_error&) {
    // A level or column name that is not UTF-8 (check_names covers the
    // spec's; a formula's levels come from the data's cells).
    throw model_error(
        "a name or factor level in the model is not valid UTF-8, which a JSON file cannot "
        "hold; convert the data to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
  }
  out << text << '\n';
}

}  // namespace regress::files
