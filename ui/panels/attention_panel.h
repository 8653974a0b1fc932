#pragma once
// The Attention panel: a heatmap of one head's attention for one sample. Two sources: the copy
// heads the run captured (SampleResult::attention: response units × prompt chunks or token bins),
// and any (layer, head) computed on demand at token resolution (detect::TokenAttention: response
// tokens × prompt tokens, token texts on both axes, zoom and pan, hover with both tokens and the
// weight). Beyond kMaxTokenColumns prompt tokens the columns are shown as bins, and the engine
// gives at most AttentionInspector::kMaxRows response rows; the panel says so when it happens.
#include "ui/run/detection_types.h"

#include "core/detect/engine_service.h"

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
    // The token-level attention on screen, or nullptr when a captured summary is shown.
    const detect::TokenAttention* tokenAttention() const { return tokenMode_ ? &token_ : nullptr; }
    QString infoText() const;
    // Prompt tokens shown one column each; longer prompts are shown as this many bins.
    static constexpr int kMaxTokenColumns = 400;
    // The text of the hover tooltip at plot coordinates (column, row) (empty outside the map).
    QString hoverText(int col, int row) const;

public Q_SLOTS:
    void showResult(const hs::results::SampleResult& result);
    // A sample with no run result (a dataset's or a log's): nothing captured, Compute still works.
    void showSample(const QString& sampleId);
    // Picks this head when the current sample captured it; asks for a recomputation when it did not.
    void selectHead(int layer, int head);
    // A head computed at token resolution (AttentionInspector): shown if it is the current sample's.
    void showTokenAttention(const QString& sampleId, const hs::detect::TokenAttention& attention);
    void showMessage(const QString& message);
    void clear(); // no sample (a new current document)

Q_SIGNALS:
    void recomputeRequested(const QString& sampleId, int layer, int head);

private:
    void rebuildPickers(int keepLayer, int keepHead);
    void drawSelected();
    void showHover(QMouseEvent* event);
    void drawToken();
    void leaveTokenMode();
    void requestTokenView(int layer, int head);
    void updateTokenTicks();

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
    results::SampleResult result_;
    detect::TokenAttention token_;
    bool tokenMode_ = false;
    int binSize_ = 1; // prompt tokens per column in the token view
    int shownRows_ = 0, shownCols_ = 0; // of the summary on screen (the map may hold a doubled lone row/column)
};

} // namespace hs::ui
