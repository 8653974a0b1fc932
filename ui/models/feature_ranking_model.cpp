#include "ui/models/feature_ranking_model.h"

#include <QFont>

#include <algorithm>

namespace hs::ui {

void FeatureRankingModel::setScores(std::vector<analysis::FeatureScore> scores)
{
    beginResetModel();
    scores_ = std::move(scores);
    endResetModel();
}

void FeatureRankingModel::setSelection(const analysis::Selection& selection)
{
    selection_ = selection;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const analysis::FeatureScore* FeatureRankingModel::scoreAt(int row) const
{
    return row >= 0 && row < int(scores_.size()) ? &scores_[row] : nullptr;
}

int FeatureRankingModel::rowOf(const QString& name) const
{
    const std::string key = name.toStdString();
    for (std::size_t i = 0; i < scores_.size(); ++i)
        if (scores_[i].name == key)
            return int(i);
    return -1;
}

bool FeatureRankingModel::inUse(const analysis::FeatureScore& s) const
{
    const std::vector<int>& list = s.isEcs ? selection_.ecs : selection_.pks;
    return std::find(list.begin(), list.end(), s.index) != list.end();
}

int FeatureRankingModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(scores_.size());
}

int FeatureRankingModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FeatureRankingModel::data(const QModelIndex& index, int role) const
{
    const analysis::FeatureScore* s = scoreAt(index.row());
    if (!s)
        return {};
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        auto num = [sort](double v) { return sort ? QVariant(v) : QVariant(QString::number(v, 'f', 4)); };
        switch (index.column()) {
        case Name: return QString::fromStdString(s->name);
        case Kind: return s->isEcs ? tr("ECS head") : tr("PKS layer");
        case Auc: return num(s->auc);
        case Pearson: return num(s->pearson);
        case MutualInfo: return num(s->mi);
        case InUse: return sort ? QVariant(int(inUse(*s))) : QVariant(inUse(*s) ? tr("✓") : QString());
        }
    }
    if (role == Qt::FontRole && inUse(*s)) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Auc)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant FeatureRankingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name: return tr("Feature");
        case Kind: return tr("Kind");
        case Auc: return tr("AUC");
        case Pearson: return tr("Pearson");
        case MutualInfo: return tr("MI");
        case InUse: return tr("In use");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Auc: return tr("Row-level ROC AUC (ECS against faithful, PKS against hallucinated); > 0.5 = useful");
        case Pearson: return tr("Pearson r with the label, same orientation as AUC");
        case MutualInfo: return tr("Mutual information with the label (k-NN estimate, nats)");
        case InUse: return tr("Used by the current scores");
        }
    }
    return {};
}

} // namespace hs::ui
