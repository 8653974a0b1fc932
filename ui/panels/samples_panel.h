#pragma once
// The Samples panel: a sortable, filterable table of scored responses. Double-click (or Enter)
// opens a sample in the Live and Attention panels.
#include <QWidget>

class QComboBox;
class QLineEdit;
class QLabel;
class QTableView;

namespace hs::ui {

class AnalysisState;
class SampleFilterProxy;
class SampleTableModel;

class SamplesPanel : public QWidget {
    Q_OBJECT
public:
    explicit SamplesPanel(AnalysisState* analysis, QWidget* parent = nullptr);

    QTableView* view() const { return view_; }
    SampleTableModel* model() const { return model_; }
    SampleFilterProxy* proxy() const { return proxy_; }
    QLineEdit* filterEdit() const { return filter_; }
    QComboBox* outcomeFilter() const { return outcome_; }
    // Ids in the order shown (after sorting and filtering).
    QStringList visibleIds() const;

Q_SIGNALS:
    void sampleActivated(const QString& id);

private:
    void updateCount();

    SampleTableModel* model_ = nullptr;
    SampleFilterProxy* proxy_ = nullptr;
    QTableView* view_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QComboBox* outcome_ = nullptr;
    QLabel* count_ = nullptr;
};

} // namespace hs::ui
