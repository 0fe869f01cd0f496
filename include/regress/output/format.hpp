#pragma once
/// \file format.hpp
/// The one number formatter and the one escaper behind every output. Every
/// writer in output/ prints its numbers and strings through these functions,
/// so the csv, tsv and json of every command agree on how a value looks:
/// machine formats print a double as the shortest text that reads back to the
/// same double (fmt's "{}"); the text format, rounded for people, is the
/// writers' own business and is never what a script parses.

#include <string>
#include <string_view>

namespace regress {

/// The output formats of the result writers. ndjson is one JSON object per
/// line (a row of the csv as an object), for streams that jq or a log
/// shipper reads line by line; json is one document.
enum class output_format { text, csv, tsv, json, ndjson };

/// The field separator of a delimited format: '\t' for tsv, else ','.
char delimiter_of(output_format format) noexcept;

/// Machine number text: the shortest round-trip text; "NA" for NaN,
/// "inf" / "-inf" for infinities.
std::string number_text(double v);
/// Appends number_text(v) to `out`; for writers of long streams (no
/// allocation per number).
void append_number(std::string& out, double v);

/// A confidence level as a percentage for people, without the '%': 100 *
/// level as "{:g}" prints it (95, 99.9), with more significant digits where
/// six would round it to 100 or 0, so 0.9999999999999999 reads
/// "99.99999999999999" and never claims 100% (as R's confint labels keep
/// "0.00000000000001 %" apart from 0).
std::string percent_text(double level);

/// A double as a JSON value: the shortest round-trip text, or null for NaN
/// and infinities (JSON has neither).
std::string json_number(double v);
/// Appends json_number(v) to `out`.
void append_json_number(std::string& out, double v);

/// A name (a column from a CSV header or a model file) for the text format,
/// as R prints names: control characters (C0 and DEL) escaped, \t \n \r
/// \a \b \f \v by letter and the rest in octal (ESC is "\033"), so a name
/// can never move the cursor, recolour or clear a terminal. Anything else,
/// UTF-8 included, is kept.
std::string text_name(std::string_view s);

/// A string as a JSON string literal, quotes and escapes included. Invalid
/// UTF-8 is replaced by U+FFFD rather than thrown on: names come from user
/// files.
std::string json_quote(std::string_view s);

/// A csv/tsv field: `s` as is, or in double quotes with its quotes doubled
/// (RFC 4180) when it holds the delimiter, a quote or a line break.
std::string table_field(std::string_view s, char delimiter);

}  // namespace regress
