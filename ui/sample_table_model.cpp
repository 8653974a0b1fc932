#include "ui/sample_table_model.h"

#include "ui/analysis_state.h"

#include <QBrush>
#include <QColor>

namespace hs::ui {

SampleTableModel::SampleTableModel(AnalysisState* analysis, QObject* parent)
    : QAbstractTableModel(parent), analysis_(analysis)
{
    connect(analysis_, &AnalysisState::scoresChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
    connect(analysis_, &AnalysisState::thresholdChanged, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, Prediction), index(rowCount() - 1, Prediction));
    });
}

int SampleTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(analysis_->scores().ids.size());
}

int SampleTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SampleTableModel::idAt(int row) const
{
    const auto& ids = analysis_->scores().ids;
    return row >= 0 && row < int(ids.size()) ? QString::fromStdString(ids[row]) : QString();
}

QVariant SampleTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto& s = analysis_->scores();
    const int r = index.row();
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
