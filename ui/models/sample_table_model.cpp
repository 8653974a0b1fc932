#include "ui/models/sample_table_model.h"

#include "ui/models/analysis_state.h"
#include "ui/run/run_collector.h"

#include <QBrush>
#include <QColor>

#include <limits>

namespace hs::ui {

SampleTableModel::SampleTableModel(AnalysisState* analysis, QObject* parent)
    : QAbstractTableModel(parent), analysis_(analysis)
{
    connect(analysis_, &AnalysisState::scoresChanged, this, [this] {
        beginResetModel();
        rebuildPending();
        endResetModel();
    });
    connect(analysis_, &AnalysisState::thresholdChanged, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, Prediction), index(rowCount() - 1, Prediction));
    });
}

void SampleTableModel::setRunCollector(const RunCollector* collector)
{
    collector_ = collector;
    connect(collector, &RunCollector::added, this, [this](const QString& id) {
        if (scored_.contains(id))
            return;
        const int row = rowCount();
        beginInsertRows({}, row, row);
        pending_.push_back(id);
        endInsertRows();
    });
    connect(collector, &RunCollector::cleared, this, [this] {
        beginResetModel();
        rebuildPending();
        endResetModel();
    });
    beginResetModel();
    rebuildPending();
    endResetModel();
}

void SampleTableModel::rebuildPending()
{
    const auto& ids = analysis_->scores().ids;
    scored_.clear();
    scored_.reserve(int(ids.size()));
    for (const std::string& id : ids)
        scored_.insert(QString::fromStdString(id));
    pending_.clear();
    if (collector_)
        for (const QString& id : collector_->ids())
            if (!scored_.contains(id))
                pending_.push_back(id);
}

int SampleTableModel::scoredCount() const
{
    return static_cast<int>(analysis_->scores().ids.size());
}

int SampleTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : scoredCount() + pendingCount();
}

int SampleTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SampleTableModel::idAt(int row) const
{
    const auto& ids = analysis_->scores().ids;
    if (row >= 0 && row < int(ids.size()))
        return QString::fromStdString(ids[row]);
    const int p = row - int(ids.size());
    return p >= 0 && p < pendingCount() ? pending_[p] : QString();
}

QVariant SampleTableModel::pendingData(const QString& id, int column, int role) const
{
    const results::SampleResult* r = collector_ ? collector_->result(id) : nullptr;
    if (!r)
        return {};
    const bool gold = r->responseLabel == 1;
    if (role == OutcomeRole)
        return QStringLiteral("pending");
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (column) {
        case Id: {
            bool numeric = false;
            const qlonglong n = id.toLongLong(&numeric);
            return sort && numeric ? QVariant(n) : QVariant(id);
        }
        case Task: return QString::fromStdString(r->taskType);
        case Label: return sort ? QVariant(r->responseLabel) : QVariant(gold ? tr("hallucinated") : tr("faithful"));
        // Not scored yet: sorted as the lowest score, shown as "…".
        case Score: return sort ? QVariant(-std::numeric_limits<double>::infinity()) : QVariant(QStringLiteral("…"));
        case Prediction: return sort ? QVariant(-1) : QVariant(tr("scoring…"));
        case Length: return r->responseTokens.empty() ? QVariant() : QVariant(int(r->responseTokens.size()));
        }
    }
    if (role == Qt::ForegroundRole)
        return QBrush(QColor(120, 120, 120));
    if (role == Qt::TextAlignmentRole && (column == Score || column == Length))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return tr("Finished; its score follows with the next push of the table (at most a second)");
    return {};
}

QVariant SampleTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto& s = analysis_->scores();
    const int r = index.row();
    if (r >= int(s.ids.size()))
        return pendingData(pending_[r - s.ids.size()], index.column(), role);
    const QString id = QString::fromStdString(s.ids[r]);
    const SampleInfo info = analysis_->catalog().value(id);
    const bool flagged = s.score[r] >= analysis_->threshold();
    const bool gold = s.label[r] == 1;
    if (role == OutcomeRole)
        return QString(flagged ? (gold ? "tp" : "fp") : (gold ? "fn" : "tn"));
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
        case Id: {
            bool numeric = false;
            const qlonglong n = id.toLongLong(&numeric);
            return sort && numeric ? QVariant(n) : QVariant(id);
        }
        case Task: return info.taskType;
        case Label: return sort ? QVariant(s.label[r]) : QVariant(gold ? tr("hallucinated") : tr("faithful"));
        case Score: return sort ? QVariant(s.score[r]) : QVariant(QString::number(s.score[r], 'f', 4));
        case Prediction: return sort ? QVariant(int(flagged)) : QVariant(flagged ? tr("flagged") : tr("passed"));
        case Length: return info.length() > 0 ? QVariant(info.length()) : QVariant();
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Prediction && flagged != gold)
        return QBrush(QColor(198, 40, 40)); // a wrong call stands out
    if (role == Qt::TextAlignmentRole && (index.column() == Score || index.column() == Length))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && !info.response.isEmpty())
        return info.response.left(400);
    return {};
}

QVariant SampleTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Id: return tr("ID");
        case Task: return tr("Task");
        case Label: return tr("Gold");
        case Score: return tr("Score");
        case Prediction: return tr("Prediction");
        case Length: return tr("Length");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Score: return tr("ReDeEP score: higher = more likely hallucinated");
        case Prediction: return tr("Flagged when the score is at or above the threshold");
        case Length: return tr("Response length in tokens (or characters when tokens are unknown)");
        }
    }
    return {};
}

} // namespace hs::ui
