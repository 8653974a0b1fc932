#pragma once
// Filters the sample table by free text (id, task, response) and by outcome at the threshold.
#include <QSortFilterProxyModel>

namespace hs::ui {

class AnalysisState;

class SampleFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Outcome { All, Hallucinated, Faithful, Flagged, Errors };
    explicit SampleFilterProxy(AnalysisState* analysis, QObject* parent = nullptr);
    void setText(const QString& text);
    void setOutcome(Outcome outcome);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    AnalysisState* analysis_;
    QString text_;
    Outcome outcome_ = Outcome::All;
};

} // namespace hs::ui
