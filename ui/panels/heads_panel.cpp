#include "ui/panels/heads_panel.h"

#include "ui/models/analysis_state.h"
#include "ui/run/background_threads.h"
#include "ui/models/feature_ranking_model.h"
#include "ui/plots/plot_widget.h"

#include "core/analysis/metrics.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace hs::ui {

HeadsPanel::HeadsPanel(AnalysisState* analysis, QWidget* parent) : QWidget(parent), analysis_(analysis)
{
    plot_ = new PlotWidget("heads-heatmap", this);
    plot_->setInteractions({}); // cells are clicked, not dragged
    plot_->setToolTip(tr("Click a head to show its attention; right-click to export"));
    QCPAxisRect* headRect = plot_->axisRect();
    headRect->axis(QCPAxis::atBottom)->setLabel(tr("Head"));
    headRect->axis(QCPAxis::atLeft)->setLabel(tr("Layer"));
    auto* layerRect = new QCPAxisRect(plot_);
    plot_->plotLayout()->addElement(0, 1, layerRect);
    layerRect->axis(QCPAxis::atBottom)->setLabel(tr("PKS"));
    layerRect->axis(QCPAxis::atBottom)->setTicks(false);
    layerRect->axis(QCPAxis::atLeft)->setTickLabels(false);
    // The strip carries its own layer labels (on its right), so it reads without the heatmap.
    layerRect->axis(QCPAxis::atRight)->setVisible(true);
    layerRect->axis(QCPAxis::atRight)->setTickLabels(true);
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 2, scale_);
    plot_->plotLayout()->setColumnStretchFactors({10, 1, 0.6});
    auto* margins = new QCPMarginGroup(plot_);
    for (QCPLayoutElement* e : {static_cast<QCPLayoutElement*>(headRect), static_cast<QCPLayoutElement*>(layerRect),
                                static_cast<QCPLayoutElement*>(scale_)})
        e->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    // Viridis (perceptually uniform, colour-blind safe); QCustomPlot 2.1 has no preset for it.
    QCPColorGradient gradient;
    gradient.setColorStops({{0.0, QColor(68, 1, 84)}, {0.25, QColor(59, 82, 139)}, {0.5, QColor(33, 145, 140)},
                            {0.75, QColor(94, 201, 98)}, {1.0, QColor(253, 231, 37)}});
    gradient.setNanHandling(QCPColorGradient::nhTransparent); // layers × heads without a copy head
    sequential_ = gradient;
    // Pearson r is signed: a diverging map (blue – white – red) centred on 0.
    diverging_.setColorStops({{0.0, QColor(33, 102, 172)}, {0.5, QColor(247, 247, 247)}, {1.0, QColor(178, 24, 43)}});
    diverging_.setNanHandling(QCPColorGradient::nhTransparent);
    headMap_ = new QCPColorMap(headRect->axis(QCPAxis::atBottom), headRect->axis(QCPAxis::atLeft));
    layerMap_ = new QCPColorMap(layerRect->axis(QCPAxis::atBottom), layerRect->axis(QCPAxis::atLeft));
    for (QCPColorMap* m : {headMap_, layerMap_}) {
        m->setInterpolate(false);
        m->setColorScale(scale_); // adopts the scale's gradient, so set ours after
        m->setGradient(gradient);
    }
    connect(plot_, &QCustomPlot::mouseMove, this, &HeadsPanel::showHoverValue);
    connect(plot_, &QCustomPlot::mousePress, this, &HeadsPanel::onPlotClicked);

    metric_ = new QComboBox(this);
    metric_->addItem(tr("Mutual information"), int(analysis::RankBy::MutualInfo));
    metric_->addItem(tr("ROC AUC"), int(analysis::RankBy::Auc));
    metric_->addItem(tr("Pearson r"), int(analysis::RankBy::Pearson));
    metric_->setToolTip(tr("What the heatmap shows"));
    connect(metric_, &QComboBox::currentIndexChanged, this, &HeadsPanel::redrawHeatmap);

    model_ = new FeatureRankingModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(FeatureRankingModel::SortRole);
    view_ = new QTableView(this);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(FeatureRankingModel::MutualInfo, Qt::DescendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setToolTip(tr("Ctrl/Shift-click to select several heads and layers, then Apply selection"));
    connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
        const analysis::FeatureScore* s = model_->scoreAt(proxy_->mapToSource(i).row());
        if (s && s->isEcs)
            Q_EMIT headActivated(s->layer, s->head);
    });

    applyAction_ = new QAction(tr("&Apply Head Selection"), this);
    applyAction_->setShortcut(QKeySequence("Ctrl+Return"));
    applyAction_->setToolTip(tr("Rescore every response with the heads and layers selected in the table (Ctrl+Enter)"));
    connect(applyAction_, &QAction::triggered, this, &HeadsPanel::applySelection);
    redeepAction_ = new QAction(tr("&ReDeEP Selection"), this);
    redeepAction_->setShortcut(QKeySequence("Ctrl+R"));
    redeepAction_->setToolTip(tr("Top-N heads and top-K layers by AUC, as ReDeEP picks them (Ctrl+R)"));
    connect(redeepAction_, &QAction::triggered, this, &HeadsPanel::applyRedeepRule);
    addActions({applyAction_, redeepAction_});

    topN_ = new QSpinBox(this);
    topN_->setRange(1, 1024);
    topN_->setValue(analysis_->params().topN);
    topN_->setToolTip(tr("Copy heads kept by the ReDeEP rule"));
    topK_ = new QSpinBox(this);
    topK_->setRange(1, 1024);
    topK_->setValue(analysis_->params().topK);
    topK_->setToolTip(tr("Knowledge layers kept by the ReDeEP rule"));
    alpha_ = new QDoubleSpinBox(this);
    alpha_->setRange(0, 10);
    alpha_->setSingleStep(0.1);
    alpha_->setValue(analysis_->params().alpha);
    alpha_->setToolTip(tr("Weight of the external-context score: d = m·PKS − α·ECS"));

    auto* applyButton = new QToolButton(this);
    applyButton->setDefaultAction(applyAction_);
    auto* redeepButton = new QToolButton(this);
    redeepButton->setDefaultAction(redeepAction_);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show"), this));
    controls->addWidget(metric_);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("N"), this));
    controls->addWidget(topN_);
    controls->addWidget(new QLabel(tr("K"), this));
    controls->addWidget(topK_);
    controls->addWidget(new QLabel(tr("α"), this));
    controls->addWidget(alpha_);
    controls->addWidget(redeepButton);
    controls->addWidget(applyButton);
    controls->addStretch(1);
    status_ = new QLabel(this);
    status_->setWordWrap(true);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName("heads.splitter");
    splitter->addWidget(plot_);
    splitter->addWidget(view_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 420}); // the heatmap first; the saved layout overrides this
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
    layout->addWidget(status_);

    connect(&watcher_, &QFutureWatcher<std::vector<analysis::FeatureScore>>::finished, this, &HeadsPanel::onRankingDone);
    rankDelay_ = new QTimer(this);
    rankDelay_->setSingleShot(true);
    connect(rankDelay_, &QTimer::timeout, this, &HeadsPanel::startRanking);
    connect(analysis_, &AnalysisState::tableChanged, this, &HeadsPanel::startRanking);
    connect(analysis_, &AnalysisState::scoresChanged, this, [this] {
        model_->setSelection(analysis_->selection());
        redrawHeatmap();
        updateSelectionSummary();
    });
    updateSelectionSummary();
}

void HeadsPanel::startRanking()
{
    if (!analysis_->hasData()) {
        rankDelay_->stop();
        model_->setScores({});
        rankedNames_.clear();
        redrawHeatmap();
        return;
    }
    std::vector<std::string> names = analysis_->table().ecsNames;
    names.insert(names.end(), analysis_->table().pksNames.begin(), analysis_->table().pksNames.end());
    const bool otherDocument = names != rankedNames_;
    if (otherDocument) { // its ranking must not stay on screen, selectable, until the new one is ready
        rankDelay_->stop();
        model_->setScores({});
        redrawHeatmap();
        rankedNames_ = std::move(names);
    }
    if (watcher_.isRunning()) { // the table changed under a running ranking: run again after it
        rankAgain_ = true;
        return;
    }
    if (!otherDocument && rankClock_.isValid() && !rankDelay_->isActive()) { // a live run's growing table
        const qint64 wait = 4 * lastRankMs_ - rankClock_.elapsed(); // from the last start: 3× its length idle
        if (wait > 0) {
            rankDelay_->start(int(wait));
            return;
        }
    }
    if (rankDelay_->isActive())
        return; // already waiting; it ranks the newest table then
    rankClock_.start();
    status_->setText(tr("Ranking heads and layers…"));
    std::shared_ptr<const analysis::FeatureTable> table = analysis_->tableHandle();
    watcher_.setFuture(runInBackground([table] {
        try {
            return analysis::rankFeatures(*table, analysis::RankBy::MutualInfo);
        } catch (const std::exception&) {
            return std::vector<analysis::FeatureScore>{}; // e.g. one class only: nothing to rank
        }
    }));
}

void HeadsPanel::onRankingDone()
{
    lastRankMs_ = rankClock_.elapsed();
    if (rankAgain_) {
        rankAgain_ = false;
        startRanking();
        return;
    }
    std::vector<analysis::FeatureScore> scores = watcher_.result();
    layers_ = heads_ = 0;
    for (const analysis::FeatureScore& s : scores) {
        layers_ = std::max(layers_, s.layer + 1);
        if (s.isEcs)
            heads_ = std::max(heads_, s.head + 1);
    }
    model_->setScores(std::move(scores));
    model_->setSelection(analysis_->selection());
    view_->resizeColumnsToContents();
    redrawHeatmap();
    updateSelectionSummary();
    Q_EMIT rankingReady();
}

double HeadsPanel::metricOf(const analysis::FeatureScore& s) const
{
    switch (static_cast<analysis::RankBy>(metric_->currentData().toInt())) {
    case analysis::RankBy::Auc: return s.auc;
    case analysis::RankBy::Pearson: return s.pearson;
    default: return s.mi;
    }
}

void HeadsPanel::redrawHeatmap()
{
    plot_->clearItems();
    const int layers = std::max(layers_, 1), heads = std::max(heads_, 1);
    QCPColorMapData* hd = headMap_->data();
    hd->setSize(heads, layers);
    hd->setRange(QCPRange(0, heads - 1), QCPRange(0, layers - 1));
    hd->fill(qQNaN());
    // One PKS column, stored twice over half the span: QCPColorMap draws a lone column with no width.
    QCPColorMapData* ld = layerMap_->data();
    ld->setSize(2, layers);
    ld->setRange(QCPRange(-0.25, 0.25), QCPRange(0, layers - 1));
    ld->fill(qQNaN());
    double lo = qInf(), hi = -qInf();
    const analysis::Selection& sel = analysis_->selection();
    for (const analysis::FeatureScore& s : model_->scores()) {
        if (s.layer < 0)
            continue;
        const double v = metricOf(s);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        const bool used = std::find((s.isEcs ? sel.ecs : sel.pks).begin(), (s.isEcs ? sel.ecs : sel.pks).end(),
                                    s.index) != (s.isEcs ? sel.ecs : sel.pks).end();
        QCPAxisRect* rect = s.isEcs ? plot_->axisRect(0) : plot_->axisRect(1);
        const double x = s.isEcs ? s.head : 0;
        if (s.isEcs && s.head >= 0)
            hd->setCell(s.head, s.layer, v);
        else if (!s.isEcs) {
            ld->setCell(0, s.layer, v);
            ld->setCell(1, s.layer, v);
        }
        if (used) { // outline the features the scores use, so the map explains the numbers
            auto* box = new QCPItemRect(plot_);
            box->setClipAxisRect(rect);
            for (QCPItemPosition* p : {box->topLeft, box->bottomRight}) {
                p->setAxisRect(rect);
                p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            }
            box->topLeft->setCoords(x - 0.5, s.layer + 0.5);
            box->bottomRight->setCoords(x + 0.5, s.layer - 0.5);
            box->setPen(QPen(QColor(230, 30, 30), 2));
        }
    }
    // Values inside their cells: every copy head when they are few enough to read, else the five best.
    std::vector<const analysis::FeatureScore*> labelled;
    for (const analysis::FeatureScore& s : model_->scores())
        if (s.isEcs && s.layer >= 0)
            labelled.push_back(&s);
    std::sort(labelled.begin(), labelled.end(), [this](auto* a, auto* b) { return metricOf(*a) > metricOf(*b); });
    if (labelled.size() > std::size_t(kMaxCellLabels))
        labelled.resize(5);
    for (const analysis::FeatureScore* s : labelled) {
        auto* text = new QCPItemText(plot_);
        text->setClipAxisRect(plot_->axisRect(0));
        text->position->setAxes(plot_->axisRect(0)->axis(QCPAxis::atBottom), plot_->axisRect(0)->axis(QCPAxis::atLeft));
        text->position->setCoords(s->head, s->layer);
        text->setPositionAlignment(Qt::AlignCenter);
        text->setText(QString::number(metricOf(*s), 'g', 2)); // MI is often 0.0x: two significant digits
        text->setFont(QFont(font().family(), 6));
        text->setColor(Qt::black);
        text->setBrush(QBrush(QColor(255, 255, 255, 170)));
    }
    const bool signedMetric = static_cast<analysis::RankBy>(metric_->currentData().toInt()) == analysis::RankBy::Pearson;
    for (QCPColorMap* m : {headMap_, layerMap_})
        m->setGradient(signedMetric ? diverging_ : sequential_);
    if (signedMetric && lo <= hi) { // symmetric, so white is r = 0
        const double r = std::max({std::abs(lo), std::abs(hi), 1e-9});
        lo = -r;
        hi = r;
    }
    if (lo <= hi)
        scale_->setDataRange(QCPRange(lo, hi > lo ? hi : lo + 1e-9));
    scale_->axis()->setLabel(metric_->currentText());
    for (int i = 0; i < 2; ++i)
        plot_->axisRect(i)->axis(QCPAxis::atLeft)->setRange(-0.5, layers - 0.5);
    plot_->axisRect(1)->axis(QCPAxis::atRight)->setRange(-0.5, layers - 0.5);
    plot_->axisRect(0)->axis(QCPAxis::atBottom)->setRange(-0.5, heads - 0.5);
    plot_->axisRect(1)->axis(QCPAxis::atBottom)->setRange(-0.5, 0.5);
    plot_->requestReplot();
}

void HeadsPanel::showHoverValue(QMouseEvent* event)
{
    QCPAxisRect* rect = plot_->axisRectAt(event->pos());
    if (!rect)
        return;
    const bool isHead = rect == plot_->axisRect(0);
    const int layer = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(event->pos().y())));
    const int head = isHead ? int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x()))) : -1;
    for (const analysis::FeatureScore& s : model_->scores()) {
        if (s.isEcs == isHead && s.layer == layer && (!isHead || s.head == head)) {
            QToolTip::showText(event->globalPosition().toPoint(),
                               tr("%1\nAUC %2 · Pearson %3 · MI %4").arg(QString::fromStdString(s.name))
                                   .arg(s.auc, 0, 'f', 4).arg(s.pearson, 0, 'f', 4).arg(s.mi, 0, 'f', 4),
                               plot_);
            return;
        }
    }
    QToolTip::hideText();
}

void HeadsPanel::onPlotClicked(QMouseEvent* event)
{
    QCPAxisRect* rect = plot_->axisRect(0);
    if (plot_->axisRectAt(event->pos()) != rect)
        return;
    const int layer = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(event->pos().y())));
    const int head = int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x())));
    for (const analysis::FeatureScore& s : model_->scores())
        if (s.isEcs && s.layer == layer && s.head == head) {
            const QModelIndex i = proxy_->mapFromSource(model_->index(model_->rowOf(QString::fromStdString(s.name)), 0));
            const auto flags = (event->modifiers() & Qt::ControlModifier) ? QItemSelectionModel::Toggle
                                                                        : QItemSelectionModel::ClearAndSelect;
            view_->selectionModel()->select(i, flags | QItemSelectionModel::Rows);
            view_->scrollTo(i);
            Q_EMIT headActivated(layer, head);
            return;
        }
}

void HeadsPanel::selectFeatures(const QStringList& names)
{
    QItemSelection selection;
    for (const QString& n : names) {
        const int row = model_->rowOf(n);
        if (row < 0)
            continue;
        const QModelIndex i = proxy_->mapFromSource(model_->index(row, 0));
        selection.select(i, i);
    }
    view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QStringList HeadsPanel::selectedFeatures() const
{
    QStringList names;
    for (const QModelIndex& i : view_->selectionModel()->selectedRows())
        if (const analysis::FeatureScore* s = model_->scoreAt(proxy_->mapToSource(i).row()))
            names << QString::fromStdString(s->name);
    return names;
}

void HeadsPanel::applySelection()
{
    analysis::Selection sel;
    // In the order shown, so the sum order follows what the user sees ranked first.
    QModelIndexList rows = view_->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    // By name in the table on screen, not by the ranking's column index: a ranking of the previous
    // table can still be shown while the new one is being ranked, and its indices mean other columns.
    if (!analysis_->hasData())
        return;
    const analysis::FeatureTable& table = analysis_->table();
    for (const QModelIndex& i : rows)
        if (const analysis::FeatureScore* s = model_->scoreAt(proxy_->mapToSource(i).row())) {
            const std::vector<std::string>& names = s->isEcs ? table.ecsNames : table.pksNames;
            const auto at = std::find(names.begin(), names.end(), s->name);
            if (at != names.end())
                (s->isEcs ? sel.ecs : sel.pks).push_back(int(at - names.begin()));
        }
    if (sel.ecs.empty() && sel.pks.empty()) {
        status_->setText(tr("Select at least one head or layer in the table first."));
        return;
    }
    analysis::RedeepParams p = analysis_->params();
    p.alpha = alpha_->value();
    analysis_->chooseSelection(sel, p);
}

void HeadsPanel::applyRedeepRule()
{
    analysis::RedeepParams p = analysis_->params();
    p.topN = topN_->value();
    p.topK = topK_->value();
    p.alpha = alpha_->value();
    analysis_->chooseRedeepRule(p);
}

QString HeadsPanel::statusText() const { return status_->text(); }

void HeadsPanel::updateSelectionSummary()
{
    if (!analysis_->hasData()) {
        status_->setText(tr("Open a feature log or session to rank heads."));
        return;
    }
    const auto& sel = analysis_->selection();
    const auto& s = analysis_->scores();
    QString auc = QStringLiteral("–");
    try {
        auc = QString::number(analysis::rocAucFast(s.score, s.label), 'f', 4);
    } catch (const std::exception&) {
    }
    // Describes the scorer whose scores are shown: the learned ones use every column unless a
    // selection was applied by hand, and ignore α.
    const QString scorer = scorerTitle(analysis_->shownScorer());
    const analysis::FeatureTable& t = analysis_->table();
    if (analysis_->shownScorer() == QLatin1String("redeep"))
        status_->setText(tr("%1 uses %2 head(s) and %3 layer(s), α = %4 — response ROC AUC %5")
                             .arg(scorer).arg(sel.ecs.size()).arg(sel.pks.size()).arg(analysis_->params().alpha).arg(auc));
    else if (analysis_->handPicked())
        status_->setText(tr("%1 uses the %2 selected head(s) and %3 layer(s) — response ROC AUC %4")
                             .arg(scorer).arg(sel.ecs.size()).arg(sel.pks.size()).arg(auc));
    else
        status_->setText(tr("%1 uses all %2 heads and %3 layers — response ROC AUC %4")
                             .arg(scorer).arg(t.numEcs()).arg(t.numPks()).arg(auc));
}

} // namespace hs::ui
