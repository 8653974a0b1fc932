#pragma once
// The Threshold panel: ROC, precision-recall and F1-versus-threshold curves of the response
// scores; a slider that moves one marker on all three (on the plots' marker layer, so only that
// layer repaints) and updates precision, recall, F1 and the confusion matrix live. With "split"
// on, curves and the best-F1 threshold come from the training part and the numbers shown are
// those of the held-out part. A "Scores" box switches between ReDeEP's in-sample scores and the
// cross-validated (held-out) scores of a learned method (AnalysisState::setScorer).
#include "core/analysis/metrics.h"

#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QCPGraph;
class QCPItemStraightLine;

namespace hs::ui {

class AnalysisState;
class PlotWidget;

class ThresholdPanel : public QWidget {
    Q_OBJECT
public:
    explicit ThresholdPanel(AnalysisState* analysis, QWidget* parent = nullptr);

    PlotWidget* rocPlot() const { return roc_; }
    PlotWidget* prPlot() const { return pr_; }
    PlotWidget* f1Plot() const { return f1_; }
    QSlider* slider() const { return slider_; }
    QAction* bestF1Action() const { return bestF1Action_; }
    QAction* splitAction() const { return splitAction_; }
    QComboBox* scorerBox() const { return scorer_; }
    void selectScorer(const QString& method); // by name (scorerMethods()); unknown names are ignored
    // The confusion matrix and metrics currently shown (held-out part in split view).
    const analysis::Confusion& shownConfusion() const { return shown_; }
    // The (score, label) pairs the shown numbers are computed on.
    void shownData(std::vector<double>* score, std::vector<int>* label) const;
    // Threshold of slider position `pos` (0..kSliderSteps).
    double thresholdAt(int pos) const;
    static constexpr int kSliderSteps = 1000;

public Q_SLOTS:
    void selectBestF1();

private:
    void rebuildCurves();
    void updateMarkers();
    void onSliderMoved(int pos);
    void onSpinChanged(double value);
    void syncControls();
    void updateShownLabel();
    void fitAndEvalSets(std::vector<double>* fitScore, std::vector<int>* fitLabel,
                        std::vector<double>* evalScore, std::vector<int>* evalLabel) const;
    QWidget* createConfusionGrid();

    AnalysisState* analysis_;
    PlotWidget* roc_ = nullptr;
    PlotWidget* pr_ = nullptr;
    PlotWidget* f1_ = nullptr;
    QCPGraph* rocMarker_ = nullptr;
    QCPGraph* prMarker_ = nullptr;
    QCPGraph* f1Marker_ = nullptr;
    QCPItemStraightLine* f1Line_ = nullptr;
    QSlider* slider_ = nullptr;
    QDoubleSpinBox* spin_ = nullptr;
    QLabel* summary_ = nullptr;
    QComboBox* scorer_ = nullptr;
    QLabel* busy_ = nullptr;
    QLabel* shownLabel_ = nullptr;
    QLabel* tp_ = nullptr;
    QLabel* fp_ = nullptr;
    QLabel* fn_ = nullptr;
    QLabel* tn_ = nullptr;
    QLabel* precision_ = nullptr;
    QLabel* recall_ = nullptr;
    QLabel* f1Value_ = nullptr;
    QLabel* accuracy_ = nullptr;
    QAction* bestF1Action_ = nullptr;
    QAction* splitAction_ = nullptr;
    analysis::Confusion shown_;
    bool syncing_ = false;
};

} // namespace hs::ui
