#pragma once
// One row per response: id, task type, gold label, score, prediction at the current threshold,
// length. Reads AnalysisState; a threshold move only refreshes the prediction column. During a run
// the responses finished but not yet scored (RunCollector pushes the table at most once a second)
// are listed too, at the end, as "scoring…": the table keeps in step with the progress bar.
#include <QAbstractTableModel>
#include <QSet>
#include <QString>

#include <vector>

namespace hs::ui {

class AnalysisState;
class RunCollector;

class SampleTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Task, Label, Score, Prediction, Length, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;   // numbers sort as numbers
    static constexpr int OutcomeRole = Qt::UserRole + 2; // "tp" / "fp" / "tn" / "fn"

    explicit SampleTableModel(AnalysisState* analysis, QObject* parent = nullptr);
    // Lists the collector's results that have no score yet.
    void setRunCollector(const RunCollector* collector);
    int scoredCount() const;
    int pendingCount() const { return static_cast<int>(pending_.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QString idAt(int row) const;

private:
    void rebuildPending();
    QVariant pendingData(const QString& id, int column, int role) const;

    AnalysisState* analysis_;
    const RunCollector* collector_ = nullptr;
    QSet<QString> scored_;
    std::vector<QString> pending_;
};

} // namespace hs::ui
