#include "ui/panels/threshold_panel.h"

#include "ui/models/analysis_state.h"
#include "ui/plots/plot_widget.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace hs::ui {

namespace {
const QColor kFitColour(31, 119, 180);
const QColor kEvalColour(255, 127, 14);
const QColor kMarkerColour(214, 39, 40);

void setPlotTitle(PlotWidget* plot, const QString& title)
{
    if (auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)))
        t->setText(title);
}

PlotWidget* makePlot(const QString& name, const QString& title, const QString& xLabel, const QString& yLabel,
                     QWidget* parent)
{
    auto* plot = new PlotWidget(name, parent);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), -1, QFont::Bold)));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->legend->setVisible(false);
    plot->legend->setFont(QFont(plot->font().family(), 8));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    return plot;
}

QCPCurve* addCurve(PlotWidget* plot, const std::vector<double>& x, const std::vector<double>& y, const QColor& c,
                   const QString& name, bool dashed)
{
    auto* curve = new QCPCurve(plot->xAxis, plot->yAxis);
    curve->setData(QVector<double>(x.begin(), x.end()), QVector<double>(y.begin(), y.end()));
    QPen pen(c, 2);
    if (dashed)
        pen.setStyle(Qt::DashLine);
    curve->setPen(pen);
    curve->setName(name);
    return curve;
}

QCPGraph* makeMarker(PlotWidget* plot)
{
    auto* g = plot->addGraph();
    g->setLayer(plot->markerLayer());
    g->setLineStyle(QCPGraph::lsNone);
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kMarkerColour, 2), QBrush(Qt::white), 10));
    g->removeFromLegend();
    return g;
}

QLabel* valueLabel(const QString& name, QWidget* parent)
{
    auto* l = new QLabel(QStringLiteral("–"), parent);
    l->setObjectName(name);
    l->setAlignment(Qt::AlignCenter);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}
} // namespace

ThresholdPanel::ThresholdPanel(AnalysisState* analysis, QWidget* parent) : QWidget(parent), analysis_(analysis)
{
    roc_ = makePlot("roc", tr("ROC"), tr("False-positive rate"), tr("True-positive rate"), this);
    pr_ = makePlot("precision-recall", tr("Precision–recall"), tr("Recall"), tr("Precision"), this);
    f1_ = makePlot("f1-threshold", tr("F1 vs threshold"), tr("Threshold (score)"), tr("F1"), this);
    rocMarker_ = makeMarker(roc_);
    prMarker_ = makeMarker(pr_);
    f1Marker_ = makeMarker(f1_);
    f1Line_ = new QCPItemStraightLine(f1_);
    f1Line_->setLayer(f1_->markerLayer());
    f1Line_->setPen(QPen(kMarkerColour, 1, Qt::DashLine));

    auto* plots = new QSplitter(Qt::Horizontal, this);
    plots->setObjectName("threshold.plots");
    plots->addWidget(roc_);
    plots->addWidget(pr_);
    plots->addWidget(f1_);

    bestF1Action_ = new QAction(tr("Best &F1 Threshold"), this);
    bestF1Action_->setShortcut(QKeySequence("Ctrl+B"));
    bestF1Action_->setToolTip(tr("Move the threshold to the one with the highest F1 (Ctrl+B)"));
    connect(bestF1Action_, &QAction::triggered, this, &ThresholdPanel::selectBestF1);
    splitAction_ = new QAction(tr("Choose on &Train, Show Held-out"), this);
    splitAction_->setCheckable(true);
    splitAction_->setShortcut(QKeySequence("Ctrl+Shift+T"));
    splitAction_->setToolTip(tr("Curves and best F1 from the training part; numbers from the held-out part"));
    connect(splitAction_, &QAction::toggled, this, &ThresholdPanel::rebuildCurves);
    addActions({bestF1Action_, splitAction_});

    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setRange(0, kSliderSteps);
    slider_->setToolTip(tr("Decision threshold: responses scoring at or above it are flagged"));
    slider_->setPageStep(kSliderSteps / 20);
    spin_ = new QDoubleSpinBox(this);
    spin_->setDecimals(5);
    spin_->setToolTip(tr("Exact threshold"));
    auto* best = new QToolButton(this);
    best->setDefaultAction(bestF1Action_);
    auto* split = new QCheckBox(tr("Train / held-out"), this);
    split->setToolTip(splitAction_->toolTip());
    connect(split, &QCheckBox::toggled, splitAction_, &QAction::setChecked);
    connect(splitAction_, &QAction::toggled, split, &QCheckBox::setChecked);
    connect(slider_, &QSlider::valueChanged, this, &ThresholdPanel::onSliderMoved);
    connect(spin_, &QDoubleSpinBox::valueChanged, this, &ThresholdPanel::onSpinChanged);

    scorer_ = new QComboBox(this);
    scorer_->setObjectName("threshold.scorer");
    for (const QString& method : scorerMethods())
        scorer_->addItem(scorerTitle(method), method);
    scorer_->setToolTip(tr("How response scores are made. ReDeEP is fitted on every response, as the published "
                           "code does; the learned methods are cross-validated, so each response is scored by a "
                           "model that never saw it (honest, and usually better; takes a few seconds)."));
    connect(scorer_, &QComboBox::currentIndexChanged, this,
            [this](int i) { analysis_->setScorer(scorer_->itemData(i).toString()); });
    busy_ = new QLabel(this);
    busy_->setObjectName("threshold.busy");
    connect(analysis_, &AnalysisState::scoringChanged, this, [this](bool busy) {
        busy_->setText(busy ? tr("<i>scoring…</i>") : QString());
        updateShownLabel();
    });
    // What the figures on screen are: the box holds the user's choice, which can differ from the
    // scores shown (a learned scorer waits for the run's end, for enough responses, or computes).
    shownLabel_ = new QLabel(this);
    shownLabel_->setObjectName("threshold.shown");
    shownLabel_->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Scores"), this));
    controls->addWidget(scorer_);
    controls->addWidget(busy_);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Threshold"), this));
    controls->addWidget(slider_, 1);
    controls->addWidget(spin_);
    controls->addWidget(best);
    controls->addWidget(split);

    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(createConfusionGrid());
    bottom->addWidget(summary_, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(plots, 1);
    layout->addLayout(controls);
    layout->addWidget(shownLabel_);
    layout->addLayout(bottom);

    connect(analysis_, &AnalysisState::scoresChanged, this, &ThresholdPanel::rebuildCurves);
    connect(analysis_, &AnalysisState::thresholdChanged, this, [this] {
        syncControls();
        updateMarkers();
    });
    rebuildCurves();
}

QWidget* ThresholdPanel::createConfusionGrid()
{
    auto* box = new QGroupBox(tr("Confusion matrix"), this);
    auto* grid = new QGridLayout(box);
    tp_ = valueLabel("confusion.tp", box);
    fp_ = valueLabel("confusion.fp", box);
    fn_ = valueLabel("confusion.fn", box);
    tn_ = valueLabel("confusion.tn", box);
    precision_ = valueLabel("metric.precision", box);
    recall_ = valueLabel("metric.recall", box);
    f1Value_ = valueLabel("metric.f1", box);
    accuracy_ = valueLabel("metric.accuracy", box);
    grid->addWidget(new QLabel(tr("<i>gold →</i>"), box), 0, 0);
    grid->addWidget(new QLabel(tr("<b>hallucinated</b>"), box), 0, 1, Qt::AlignCenter);
    grid->addWidget(new QLabel(tr("<b>faithful</b>"), box), 0, 2, Qt::AlignCenter);
    grid->addWidget(new QLabel(tr("<b>flagged</b>"), box), 1, 0);
    grid->addWidget(new QLabel(tr("<b>passed</b>"), box), 2, 0);
    grid->addWidget(tp_, 1, 1);
    grid->addWidget(fp_, 1, 2);
    grid->addWidget(fn_, 2, 1);
    grid->addWidget(tn_, 2, 2);
    tp_->setToolTip(tr("True positives: hallucinated and flagged"));
    fp_->setToolTip(tr("False positives: faithful but flagged"));
    fn_->setToolTip(tr("False negatives: hallucinated but passed"));
    tn_->setToolTip(tr("True negatives: faithful and passed"));
    auto* metrics = new QGridLayout;
    metrics->addWidget(new QLabel(tr("Precision"), box), 0, 0);
    metrics->addWidget(precision_, 0, 1);
    metrics->addWidget(new QLabel(tr("Recall"), box), 1, 0);
    metrics->addWidget(recall_, 1, 1);
    metrics->addWidget(new QLabel(tr("F1"), box), 2, 0);
    metrics->addWidget(f1Value_, 2, 1);
    metrics->addWidget(new QLabel(tr("Accuracy"), box), 3, 0);
    metrics->addWidget(accuracy_, 3, 1);
    grid->addLayout(metrics, 0, 3, 3, 1);
    grid->setColumnMinimumWidth(3, 150);
    return box;
}

void ThresholdPanel::fitAndEvalSets(std::vector<double>* fitScore, std::vector<int>* fitLabel,
                                    std::vector<double>* evalScore, std::vector<int>* evalLabel) const
{
    const auto& s = analysis_->scores();
    const bool split = splitAction_->isChecked() && analysis_->heldOut().size() == s.score.size();
    for (std::size_t i = 0; i < s.score.size(); ++i) {
        const bool held = split && analysis_->heldOut()[i];
        if (!split || !held) {
            fitScore->push_back(s.score[i]);
            fitLabel->push_back(s.label[i]);
        }
        if (!split || held) {
            evalScore->push_back(s.score[i]);
            evalLabel->push_back(s.label[i]);
        }
    }
}

void ThresholdPanel::shownData(std::vector<double>* score, std::vector<int>* label) const
{
    std::vector<double> fs;
    std::vector<int> fl;
    fitAndEvalSets(&fs, &fl, score, label);
}

static bool bothClasses(const std::vector<int>& label)
{
    bool pos = false, neg = false;
    for (int l : label)
        (l ? pos : neg) = true;
    return pos && neg;
}

void ThresholdPanel::rebuildCurves()
{
    for (PlotWidget* p : {roc_, pr_, f1_}) {
        p->clearPlottables(); // removes the markers too; recreated below
        p->legend->setVisible(false);
    }
    rocMarker_ = makeMarker(roc_);
    prMarker_ = makeMarker(pr_);
    f1Marker_ = makeMarker(f1_);

    std::vector<double> fitS, evalS;
    std::vector<int> fitL, evalL;
    fitAndEvalSets(&fitS, &fitL, &evalS, &evalL);
    const bool split = splitAction_->isChecked();
    QStringList summary;
    auto drawSet = [&](const std::vector<double>& s, const std::vector<int>& l, const QColor& c, const QString& name,
                       bool dashed) {
        if (!bothClasses(l))
            return;
        const analysis::Curve roc = analysis::rocCurve(s, l);
        const analysis::Curve pr = analysis::prCurve(s, l);
        const double auc = analysis::rocAuc(s, l);
        addCurve(roc_, roc.x, roc.y, c, tr("%1 AUC %2").arg(name).arg(auc, 0, 'f', 4), dashed);
        addCurve(pr_, pr.x, pr.y, c, name, dashed);
        std::vector<analysis::ThresholdPoint> sweep = analysis::f1Sweep(s, l);
        QVector<double> tx, ty;
        for (auto it = sweep.rbegin(); it != sweep.rend(); ++it) { // ascending threshold
            tx << it->threshold;
            ty << it->f1;
        }
        auto* g = f1_->addGraph();
        g->setData(tx, ty, true);
        QPen pen(c, 2);
        if (dashed)
            pen.setStyle(Qt::DashLine);
        g->setPen(pen);
        g->setName(name);
        summary << tr("<b>%1</b>: %2 responses, %3 hallucinated, ROC AUC %4, Pearson %5")
                       .arg(name).arg(s.size()).arg(std::count(l.begin(), l.end(), 1))
                       .arg(auc, 0, 'f', 4).arg(analysis::pearson(s, l), 0, 'f', 4);
    };
    const QString shown = scorerTitle(analysis_->shownScorer());
    drawSet(fitS, fitL, kFitColour, split ? tr("%1, threshold part").arg(shown) : shown, false);
    if (split)
        drawSet(evalS, evalL, kEvalColour, tr("%1, shown part").arg(shown), true);

    const bool any = bothClasses(fitL);
    auto* diagonal = new QCPGraph(roc_->xAxis, roc_->yAxis);
    diagonal->setData({0, 1}, {0, 1});
    diagonal->setPen(QPen(Qt::gray, 1, Qt::DotLine));
    diagonal->removeFromLegend();
    for (PlotWidget* p : {roc_, pr_}) {
        p->xAxis->setRange(0, 1);
        p->yAxis->setRange(0, 1.02);
    }
    f1_->xAxis->setRange(analysis_->minScore(), analysis_->maxScore());
    f1_->yAxis->setRange(0, 1.02);
    for (PlotWidget* p : {roc_, pr_, f1_}) {
        p->legend->setVisible(any);
        p->requestReplot();
    }
    // Exported images carry what they show (scorer and AUC) in their title.
    const QString aucText = any ? tr(" · AUC %1").arg(analysis::rocAuc(fitS, fitL), 0, 'f', 4) : QString();
    // (two lines, the AUC on the first, so a narrow plot keeps the whole title)
    setPlotTitle(roc_, tr("ROC%1\n%2").arg(aucText, shown));
    setPlotTitle(pr_, tr("Precision–recall\n%1").arg(shown));
    setPlotTitle(f1_, tr("F1 vs threshold\n%1").arg(shown));
    updateShownLabel();
    summary_->setText(summary.isEmpty() ? tr("Open a feature log or session, or run detection.")
                                        : summary.join("<br>"));
    syncing_ = true; // a narrower range clamps the spin box: that is no choice of the user's
    spin_->setRange(analysis_->minScore(), analysis_->maxScore());
    spin_->setSingleStep((analysis_->maxScore() - analysis_->minScore()) / 200);
    syncing_ = false;
    syncControls();
    updateMarkers();
}

void ThresholdPanel::updateShownLabel()
{
    if (!analysis_->hasData()) {
        shownLabel_->clear();
        return;
    }
    QString text = tr("<b>Shown: %1</b> — %2").arg(scorerTitle(analysis_->shownScorer()).toHtmlEscaped(),
                                                  analysis_->scorerNote().toHtmlEscaped());
    if (analysis_->scorer() != analysis_->shownScorer())
        text += tr("<br><i>%1 is chosen; its figures are not on screen yet%2.</i>")
                    .arg(scorerTitle(analysis_->scorer()).toHtmlEscaped(),
                         analysis_->isScoring() ? tr(" (scoring…)") : QString());
    shownLabel_->setText(text);
}

void ThresholdPanel::selectScorer(const QString& method)
{
    const int i = scorer_->findData(method);
    if (i >= 0)
        scorer_->setCurrentIndex(i);
}

double ThresholdPanel::thresholdAt(int pos) const
{
    const double lo = analysis_->minScore(), hi = analysis_->maxScore();
    return lo + (hi - lo) * pos / kSliderSteps;
}

void ThresholdPanel::onSliderMoved(int pos)
{
    if (syncing_)
        return;
    analysis_->chooseThreshold(thresholdAt(pos), true);
}

void ThresholdPanel::onSpinChanged(double value)
{
    if (syncing_)
        return;
    analysis_->chooseThreshold(value, true);
}

void ThresholdPanel::syncControls()
{
    syncing_ = true; // moving the controls to the state must not feed back into the state
    const double lo = analysis_->minScore(), hi = analysis_->maxScore();
    const double t = analysis_->threshold();
    slider_->setValue(static_cast<int>(std::lround((t - lo) / (hi - lo) * kSliderSteps)));
    spin_->setValue(t);
    syncing_ = false;
}

void ThresholdPanel::selectBestF1()
{
    std::vector<double> fitS, evalS;
    std::vector<int> fitL, evalL;
    fitAndEvalSets(&fitS, &fitL, &evalS, &evalL);
    if (!bothClasses(fitL))
        return;
    analysis_->chooseThreshold(analysis::bestF1(fitS, fitL).threshold);
}

void ThresholdPanel::updateMarkers()
{
    std::vector<double> evalS;
    std::vector<int> evalL;
    shownData(&evalS, &evalL);
    const bool ok = !evalS.empty() && analysis_->hasData();
    const double t = analysis_->threshold();
    shown_ = ok ? analysis::confusionAt(evalS, evalL, t) : analysis::Confusion{};
    const long negatives = shown_.fp + shown_.tn;
    const double fpr = negatives > 0 ? double(shown_.fp) / negatives : 0;
    rocMarker_->setData({fpr}, {shown_.recall});
    prMarker_->setData({shown_.recall}, {shown_.precision});
    f1Marker_->setData({t}, {shown_.f1});
    f1Line_->point1->setCoords(t, 0);
    f1Line_->point2->setCoords(t, 1);
    f1Line_->setVisible(ok);
    for (QCPGraph* g : {rocMarker_, prMarker_, f1Marker_})
        g->setVisible(ok);
    for (PlotWidget* p : {roc_, pr_, f1_})
        p->replotLayer(p->markerLayer()->name());

    auto pct = [](double v) { return QStringLiteral("%1").arg(v, 0, 'f', 3); };
    tp_->setText(QString::number(shown_.tp));
    fp_->setText(QString::number(shown_.fp));
    fn_->setText(QString::number(shown_.fn));
    tn_->setText(QString::number(shown_.tn));
    precision_->setText(pct(shown_.precision));
    recall_->setText(pct(shown_.recall));
    f1Value_->setText(pct(shown_.f1));
    accuracy_->setText(pct(shown_.accuracy));
}

} // namespace hs::ui
