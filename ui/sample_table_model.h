#pragma once
// One row per scored response: id, task type, gold label, score, prediction at the current
// threshold, length. Reads AnalysisState; a threshold move only refreshes the prediction column.
#include <QAbstractTableModel>

namespace hs::ui {

class AnalysisState;

class SampleTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Task, Label, Score, Prediction, Length, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;   // numbers sort as numbers
    static constexpr int OutcomeRole = Qt::UserRole + 2; // "tp" / "fp" / "tn" / "fn"

    explicit SampleTableModel(AnalysisState* analysis, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QString idAt(int row) const;

private:
    AnalysisState* analysis_;
};

} // namespace hs::ui
