#pragma once
// The Attention panel: a heatmap of one copy head's attention for one sample — response units
// (rows) × prompt chunks or prompt-token bins (columns) — with a colour scale, layer/head pickers
// and the token or chunk under the cursor shown on hover. Reads SampleResult::attention.
#include "ui/detection_types.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QCPColorMap;
class QCPColorScale;

namespace hs::ui {

class PlotWidget;

class AttentionPanel : public QWidget {
    Q_OBJECT
public:
    explicit AttentionPanel(QWidget* parent = nullptr);

    PlotWidget* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }
    QComboBox* headCombo() const { return headCombo_; }
    QString currentSampleId() const { return QString::fromStdString(result_.sampleId); }

public Q_SLOTS:
    void showResult(const hs::detect::SampleResult& result);
    // Picks this head when the current sample captured it; asks for a recomputation when it did not.
    void selectHead(int layer, int head);
    // A head recomputed for a sample (see AttentionRecomputer): shown at once if it is the current one.
    void addSummary(const QString& sampleId, const hs::detect::AttentionSummary& summary);
    void showMessage(const QString& message);
    void clear(); // no sample (a new current document)

Q_SIGNALS:
    void recomputeRequested(const QString& sampleId, int layer, int head);

private:
    void rebuildPickers(int keepLayer, int keepHead);
    void drawSelected();
    void showHover(QMouseEvent* event);

    PlotWidget* plot_ = nullptr;
    QCPColorMap* map_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    QComboBox* layerCombo_ = nullptr;
    QComboBox* headCombo_ = nullptr;
    QCheckBox* fixedScale_ = nullptr;
    QSpinBox* otherLayer_ = nullptr;
    QSpinBox* otherHead_ = nullptr;
    QPushButton* compute_ = nullptr;
    QLabel* info_ = nullptr;
    detect::SampleResult result_;
    int shownRows_ = 0, shownCols_ = 0; // of the summary on screen (the map may hold a doubled lone row/column)
};

} // namespace hs::ui
