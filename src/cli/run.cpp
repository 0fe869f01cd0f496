#include "run.hpp"

#include <CLI/CLI.hpp>
#include <ios>
#include <memory>
#include <string>

#include "anova_command.hpp"
#include "augment_command.hpp"
#include "commands.hpp"
#include "completion.hpp"
#include "messages.hpp"
#include "option_kinds.hpp"
#include "parse_errors.hpp"
#include "regress/error.hpp"

namespace regress::cli {
namespace {

/// CLI11 2.1 names only the subcommand in its usage line ("Usage: fit ...");
/// users type "regress fit".
class usage_formatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    if (app->get_parent() != nullptr) name = app->get_parent()->get_name() + " " + name;
    return CLI::Formatter::make_usage(app, name);
  }
};

}  // namespace

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err, const terminal& term) {
  CLI::App app{"regress: fit a straight line (or curve) to a CSV and see how far to trust it"};
  app.name("regress");
  app.formatter(std::make_shared<usage_formatter>());  // subcommands inherit it
  app.set_version_flag("--version", std::string("regress ") + REGRESS_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'regress SUBCOMMAND --help' for a subcommand's options and examples.");

  fit_flags fit;
  CLI::App* fit_cmd = app.add_subcommand("fit",
                                         "Fit ordinary least squares; print it like R's "
                                         "summary(lm(...))");
  setup_fit(*fit_cmd, fit);

  predict_flags predict;
  CLI::App* predict_cmd = app.add_subcommand(
      "predict", "Predict at new points with intervals, flagging extrapolation on every row");
  setup_predict(*predict_cmd, predict);

  explore_flags explore;
  CLI::App* explore_cmd = app.add_subcommand(
      "explore", "Show how the intervals widen away from the data: table, trust range, plots");
  setup_explore(*explore_cmd, explore);

  backtest_flags backtest;
  CLI::App* backtest_cmd = app.add_subcommand(
      "backtest", "Hold out the extreme rows, predict them, and score the intervals there");
  setup_backtest(*backtest_cmd, backtest);

  anova_flags anova;
  CLI::App* anova_cmd = app.add_subcommand(
      "anova", "Analysis of variance: a model's sequential table, or nested models' F tests");
  setup_anova(*anova_cmd, anova);

  merge_flags merge;
  CLI::App* merge_cmd = app.add_subcommand(
      "merge", "Merge the states of fits to shards (fit --save-state) into the fit of all");
  setup_merge(*merge_cmd, merge);

  augment_flags augment;
  CLI::App* augment_cmd = app.add_subcommand(
      "augment", "Every row the fit used, with its fitted value, residual and influence");
  setup_augment(*augment_cmd, augment);

  check_flags check;
  CLI::App* check_cmd = app.add_subcommand(
      "check", "Test the fit's assumptions: form, variance, normality, outliers, influence");
  setup_check(*check_cmd, check);

  std::string shell;
  CLI::App* completion_cmd = app.add_subcommand(
      "completion", "Print a completion script for bash, zsh or fish, made from these commands");
  setup_completion(*completion_cmd, shell);

  // Every command takes --quiet; it is kept on the error stream (messages.hpp).
  bool quiet = false;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    sub->add_flag("-q,--quiet", quiet, "Print no warnings (errors still print)");
  }
  name_values(app);

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    const CLI::App* target = &app;
    for (const auto* sub : app.get_subcommands()) target = sub;
    out << target->help();
    return ok;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return ok;
  } catch (const CLI::CallForVersion&) {
    out << app.version() << '\n';
    return ok;
  } catch (const CLI::ParseError& e) {
    report_error(err, explain_parse_error(e, app, args));
    return usage_failure;
  }

  set_quiet(err, quiet);
  try {
    if (completion_cmd->parsed()) return run_completion(app, shell, out);
    if (fit_cmd->parsed()) return run_fit(fit, in, out, err);
    if (merge_cmd->parsed()) return run_merge(merge, out, err);
    if (explore_cmd->parsed()) return run_explore(explore, in, out, err, term);
    if (backtest_cmd->parsed()) return run_backtest(backtest, in, out, err);
    if (augment_cmd->parsed()) return run_augment(augment, in, out, err);
    if (check_cmd->parsed())
      return run_check(check, in, out, err, term.stdout_is_tty && !term.no_color);
    if (anova_cmd->parsed()) return run_anova(anova, in, out, err);
    return run_predict(predict, in, out, err);
  } catch (const usage_error& e) {
    report_error(err, e.what());
    return usage_failure;
  } catch (const error& e) {
    report_error(err, e.what());
    return data_failure;
  } catch (const std::bad_alloc&) {
    report_error(err, "out of memory");
    return data_failure;
  } catch (const std::ios_base::failure& e) {
    // The system refused a read (EIO, a directory on standard input): the
    // input's fault, not a bug; the library's message names no path.
    report_error(err, "cannot read the input (" + e.code().message() +
                          "); check the file or device it comes from");
    return data_failure;
  } catch (const std::exception& e) {
    // A bug, not an answer: say so in one line rather than end in
    // std::terminate. The fuzz target for run() treats this line as a finding.
    report_error(err, std::string("internal error (") + e.what() +
                          "); please report it with the input that caused it");
    return data_failure;
  }
}

}  // namespace regress::cli
