#pragma once
// The head/layer ranking table: one row per ECS head and PKS layer with its AUC, Pearson r and
// mutual information against the label, and whether the current selection uses it.
#include "core/analysis/ranking.h"
#include "core/analysis/redeep_combiner.h"

#include <QAbstractTableModel>

#include <vector>

namespace hs::ui {

class FeatureRankingModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Kind, Auc, Pearson, MutualInfo, InUse, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;
    void setScores(std::vector<analysis::FeatureScore> scores);
    void setSelection(const analysis::Selection& selection);
    const std::vector<analysis::FeatureScore>& scores() const { return scores_; }
    const analysis::FeatureScore* scoreAt(int row) const;
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    bool inUse(const analysis::FeatureScore& s) const;

    std::vector<analysis::FeatureScore> scores_;
    analysis::Selection selection_;
};

} // namespace hs::ui
