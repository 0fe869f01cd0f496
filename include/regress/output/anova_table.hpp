#pragma once
/// \file anova_table.hpp
/// Writers of anova tables (analyses/anova.hpp): text as R's print.anova
/// lays them out, csv/tsv (a row per table row) and json.

#include <ostream>
#include <vector>

#include "regress/analyses/anova.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// One model's sequential table. csv/tsv columns: term, df, sum_sq,
/// mean_sq, statistic, p_value (NA where R prints nothing); json: {"response",
/// "rows": [{...}]}, null for NA.
void write_anova(std::ostream& out, const anova_table& table, output_format format);

/// The comparison of nested models. csv/tsv columns: model (1-based),
/// formula, res_df, rss, df, sum_sq, statistic, p_value; json: {"models":
/// [{...}]}.
void write_anova_models(std::ostream& out, const std::vector<anova_model>& models,
                        output_format format);

}  // namespace regress
