#include "ui/models/sample_filter_proxy.h"

#include "ui/models/analysis_state.h"
#include "ui/models/sample_table_model.h"

namespace hs::ui {

SampleFilterProxy::SampleFilterProxy(AnalysisState* analysis, QObject* parent)
    : QSortFilterProxyModel(parent), analysis_(analysis)
{
    setSortRole(SampleTableModel::SortRole);
    setDynamicSortFilter(false); // re-sorting 1000s of rows per slider tick would stall the GUI
}

void SampleFilterProxy::setText(const QString& text)
{
    text_ = text.trimmed();
    invalidateFilter();
}

void SampleFilterProxy::setOutcome(Outcome outcome)
{
    outcome_ = outcome;
    invalidateFilter();
}

bool SampleFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex idIndex = sourceModel()->index(sourceRow, SampleTableModel::Id, sourceParent);
    const QString outcome = idIndex.data(SampleTableModel::OutcomeRole).toString();
    switch (outcome_) {
    // (gold filters also keep the responses still being scored; outcome filters need a score)
    case Outcome::Hallucinated:
        if (sourceModel()->index(sourceRow, SampleTableModel::Label, sourceParent).data(SampleTableModel::SortRole).toInt() != 1)
            return false;
        break;
    case Outcome::Faithful:
        if (sourceModel()->index(sourceRow, SampleTableModel::Label, sourceParent).data(SampleTableModel::SortRole).toInt() != 0)
            return false;
        break;
    case Outcome::Flagged: if (outcome != "tp" && outcome != "fp") return false; break;
    case Outcome::Errors: if (outcome != "fp" && outcome != "fn") return false; break;
    case Outcome::All: break;
    }
    if (text_.isEmpty())
        return true;
    const QString id = idIndex.data(Qt::DisplayRole).toString();
    const SampleInfo info = analysis_->catalog().value(id);
    return id.contains(text_, Qt::CaseInsensitive) || info.taskType.contains(text_, Qt::CaseInsensitive)
        || info.response.contains(text_, Qt::CaseInsensitive);
}

} // namespace hs::ui
