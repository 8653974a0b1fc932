#pragma once
// The Live panel: the current sample's prompt and response, response tokens coloured by their
// hallucination score with gold spans underlined; streaming per-token ECS and PKS traces; and the
// running ROC AUC as samples finish. Samples arrive per event but the plots replot on a 25 Hz
// timer (PlotWidget::requestReplot), and only the newest sample is drawn.
#include "ui/run/detection_types.h"
#include "ui/models/sample_catalog.h"

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace hs::ui {

class PlotWidget;

class LivePanel : public QWidget {
    Q_OBJECT
public:
    explicit LivePanel(QWidget* parent = nullptr);

    PlotWidget* tracePlot() const { return traces_; }
    PlotWidget* aucPlot() const { return auc_; }
    QTextBrowser* textView() const { return text_; }
    QString currentSampleId() const { return currentId_; }

public Q_SLOTS:
    // A result from a live run: remembered, drawn at the next 25 Hz tick (bursts collapse to one).
    void showStreaming(const hs::results::SampleResult& result, const hs::ui::SampleInfo& info = {});
    // A finished sample opened from the table. `unitShades` (one per unit, in [0, 1]) are its rows'
    // ReDeEP scores over the whole table; without them shades are relative within the sample.
    void showResult(const hs::results::SampleResult& result, const hs::ui::SampleInfo& info,
                    const std::vector<double>& unitShades = {});
    // A sample known only from a dataset or feature log (no per-token scores).
    void showSampleInfo(const hs::ui::SampleInfo& info, double score, double threshold);
    void addRunningAuc(int samples, double auc);
    void clearRun();
    // Forgets the sample, its traces and the running AUC (a new current document).
    void clear();

private:
    void drawPending();
    void drawResult(const results::SampleResult& result, const SampleInfo& info, const std::vector<double>& unitShades);

    QLabel* header_ = nullptr;
    QTextBrowser* text_ = nullptr;
    PlotWidget* traces_ = nullptr;
    PlotWidget* auc_ = nullptr;
    QString currentId_;
    results::SampleResult pending_;
    SampleInfo pendingInfo_;
    bool hasPending_ = false;
    class QTimer* drawTimer_ = nullptr;
};

} // namespace hs::ui
