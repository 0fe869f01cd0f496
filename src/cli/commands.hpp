#pragma once
/// \file commands.hpp
/// One options struct and a setup/run pair per subcommand.

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace regress::cli {

struct fit_options {
  data_options data;
  std::string format = "text";
  std::string save;
};
void setup_fit(CLI::App& app, fit_options& o);
int run_fit(const fit_options& o, std::istream& in, std::ostream& out, std::ostream& err);

struct predict_options {
  data_options data;
  std::string model_file;
  std::string at;
  std::string range;
  std::string new_file;
  std::string interval = "prediction";
  std::string format = "csv";
  bool level_given = false;
};
void setup_predict(CLI::App& app, predict_options& o);
int run_predict(const predict_options& o, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace regress::cli
