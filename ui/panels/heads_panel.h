#pragma once
// The Heads panel: a layer × head heatmap of a per-feature score (mutual information, AUC or
// Pearson) for the copy heads, a strip of the same for the knowledge layers, a sortable ranking
// table with multi-select, and "Apply selection", which rescores every response at once with the
// chosen heads and layers. The ranking (MI is the slow part) is computed on a worker thread.
#include "core/analysis/ranking.h"
#include "ui/plots/qcustomplot_include.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

#include <string>
#include <vector>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableView;
class QCPColorMap;
class QCPColorScale;
class QSortFilterProxyModel;

namespace hs::ui {

class AnalysisState;
class FeatureRankingModel;
class PlotWidget;

class HeadsPanel : public QWidget {
    Q_OBJECT
public:
    explicit HeadsPanel(AnalysisState* analysis, QWidget* parent = nullptr);
    QString statusText() const; // the footer: which scorer the scores shown use, and its AUC

    PlotWidget* heatmapPlot() const { return plot_; }
    QCPColorMap* headMap() const { return headMap_; }
    QCPColorMap* layerMap() const { return layerMap_; }
    FeatureRankingModel* rankingModel() const { return model_; }
    QTableView* rankingView() const { return view_; }
    QComboBox* metricCombo() const { return metric_; }
    bool isRanking() const { return watcher_.isRunning() || rankDelay_->isActive(); }

    // Selects these features (names as in the table, e.g. "(25, 0)", "layer_23") in the table.
    void selectFeatures(const QStringList& names);
    QStringList selectedFeatures() const;

public Q_SLOTS:
    // Rescores with the features selected in the table (at least one head or one layer).
    void applySelection();
    // Back to ReDeEP's rule: the top-N heads and top-K layers by AUC, with the spin-box values.
    void applyRedeepRule();

Q_SIGNALS:
    void headActivated(int layer, int head);
    void rankingReady();

private:
    void startRanking();
    void onRankingDone();
    void redrawHeatmap();
    void showHoverValue(QMouseEvent* event);
    void onPlotClicked(QMouseEvent* event);
    double metricOf(const analysis::FeatureScore& s) const;
    void updateSelectionSummary();

    AnalysisState* analysis_;
    PlotWidget* plot_ = nullptr;
    QCPColorMap* headMap_ = nullptr;
    QCPColorMap* layerMap_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    FeatureRankingModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    QTableView* view_ = nullptr;
    QComboBox* metric_ = nullptr;
    QSpinBox* topN_ = nullptr;
    QSpinBox* topK_ = nullptr;
    QDoubleSpinBox* alpha_ = nullptr;
    QLabel* status_ = nullptr;
    QCPColorGradient sequential_, diverging_; // MI and AUC; Pearson r
    static constexpr int kMaxCellLabels = 64;   // more copy heads than this: only the five best are labelled
    QAction* applyAction_ = nullptr;
    QAction* redeepAction_ = nullptr;
    QFutureWatcher<std::vector<analysis::FeatureScore>> watcher_;
    int layers_ = 0, heads_ = 0;
    bool rankAgain_ = false;
    // The feature names of the table the shown ranking belongs to: another document's ranking is
    // taken off screen at once rather than left selectable until the new one is ready.
    std::vector<std::string> rankedNames_;
    // Rankings in the background take at most a quarter of a core: the next one waits three times as
    // long as the last took (a live run pushes a table a second; ranking a big one takes seconds, and
    // back to back they would take a core from the detection and slow it as it goes).
    QTimer* rankDelay_ = nullptr;
    QElapsedTimer rankClock_;
    qint64 lastRankMs_ = 0;
};

} // namespace hs::ui
