#include "ui/attention_panel.h"

#include "ui/plot_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSet>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace hs::ui {

AttentionPanel::AttentionPanel(QWidget* parent) : QWidget(parent)
{
    plot_ = new PlotWidget("attention", this);
    plot_->setInteractions({});
    plot_->xAxis->setLabel(tr("Prompt chunk / token bin"));
    plot_->yAxis->setLabel(tr("Response token"));
    plot_->yAxis->setRangeReversed(true); // first token at the top, like reading order
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    map_->setVisible(false); // until there is something to show
    scale_ = new QCPColorScale(plot_);
    scale_->axis()->setLabel(tr("Attention mass"));
    plot_->plotLayout()->addElement(0, 1, scale_);
    map_->setColorScale(scale_); // adopts the scale's gradient, so set ours after
    map_->setGradient(QCPColorGradient(QCPColorGradient::gpHot).inverted());
    map_->setDataRange(QCPRange(0, 1));
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    connect(plot_, &QCustomPlot::mouseMove, this, &AttentionPanel::showHover);

    layerCombo_ = new QComboBox(this);
    layerCombo_->setToolTip(tr("Layer of the copy head"));
    headCombo_ = new QComboBox(this);
    headCombo_->setToolTip(tr("Copy head (only heads captured during the run are listed)"));
    fixedScale_ = new QCheckBox(tr("Fixed 0–1 scale"), this);
    fixedScale_->setChecked(true);
    fixedScale_->setToolTip(tr("Keep the colour scale fixed so colours compare across samples and heads"));
    info_ = new QLabel(tr("Run detection, then pick a sample: its captured copy heads appear here."), this);
    info_->setWordWrap(true);

    connect(layerCombo_, &QComboBox::currentIndexChanged, this, [this] {
        const int layer = layerCombo_->currentData().toInt();
        headCombo_->blockSignals(true);
        headCombo_->clear();
        for (const detect::AttentionSummary& a : result_.attention)
            if (a.layer == layer)
                headCombo_->addItem(tr("head %1").arg(a.head), a.head);
        headCombo_->blockSignals(false);
        drawSelected();
    });
    connect(headCombo_, &QComboBox::currentIndexChanged, this, &AttentionPanel::drawSelected);
    connect(fixedScale_, &QCheckBox::toggled, this, &AttentionPanel::drawSelected);

    otherLayer_ = new QSpinBox(this);
    otherLayer_->setRange(0, 511);
    otherLayer_->setPrefix(tr("L "));
    otherLayer_->setToolTip(tr("Layer of a head to recompute"));
    otherHead_ = new QSpinBox(this);
    otherHead_->setRange(0, 511);
    otherHead_->setPrefix(tr("H "));
    otherHead_->setToolTip(tr("Head to recompute"));
    compute_ = new QPushButton(tr("Compute"), this);
    compute_->setToolTip(tr("Recompute this head's attention for the current sample on the worker thread"));
    connect(compute_, &QPushButton::clicked, this, [this] { selectHead(otherLayer_->value(), otherHead_->value()); });

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Layer"), this));
    bar->addWidget(layerCombo_);
    bar->addWidget(new QLabel(tr("Head"), this));
    bar->addWidget(headCombo_);
    bar->addWidget(fixedScale_);
    bar->addStretch(1);
    // A second row, so the panel stays narrow enough to sit beside Live.
    auto* other = new QHBoxLayout;
    other->addWidget(new QLabel(tr("Other head"), this));
    other->addWidget(otherLayer_);
    other->addWidget(otherHead_);
    other->addWidget(compute_);
    other->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addLayout(other);
    layout->addWidget(info_);
    layout->addWidget(plot_, 1);
}

void AttentionPanel::showResult(const detect::SampleResult& result)
{
    const int keepLayer = layerCombo_->currentData().toInt();
    const int keepHead = headCombo_->currentData().toInt();
    result_ = result;
    rebuildPickers(keepLayer, keepHead);
}

void AttentionPanel::clear()
{
    result_ = {};
    rebuildPickers(-1, -1);
    info_->setText(tr("Open a sample (double-click it in Samples) to see its attention."));
}

void AttentionPanel::rebuildPickers(int keepLayer, int keepHead)
{
    QList<int> layers;
    for (const detect::AttentionSummary& a : result_.attention)
        if (!layers.contains(a.layer))
            layers << a.layer;
    std::sort(layers.begin(), layers.end());
    layerCombo_->blockSignals(true);
    layerCombo_->clear();
    for (int l : layers)
        layerCombo_->addItem(QString::number(l), l);
    layerCombo_->blockSignals(false);
    if (layers.isEmpty()) {
        headCombo_->clear();
        info_->setText(tr("Sample %1 has no captured attention.").arg(QString::fromStdString(result_.sampleId)));
        map_->data()->clear();
        map_->setVisible(false);
        plot_->requestReplot();
        return;
    }
    // Stay on the head the user was looking at when the new sample has it.
    const int li = layerCombo_->findData(keepLayer);
    layerCombo_->setCurrentIndex(li >= 0 ? li : 0);
    Q_EMIT layerCombo_->currentIndexChanged(layerCombo_->currentIndex());
    const int hi = headCombo_->findData(keepHead);
    if (hi >= 0)
        headCombo_->setCurrentIndex(hi);
}

void AttentionPanel::selectHead(int layer, int head)
{
    otherLayer_->setValue(layer);
    otherHead_->setValue(head);
    for (const detect::AttentionSummary& a : result_.attention)
        if (a.layer == layer && a.head == head) {
            layerCombo_->setCurrentIndex(layerCombo_->findData(layer));
            headCombo_->setCurrentIndex(headCombo_->findData(head));
            return;
        }
    if (result_.sampleId.empty()) {
        info_->setText(tr("Open a finished sample first (double-click it in the Samples panel)."));
        return;
    }
    info_->setText(tr("Head (%1, %2) was not captured for sample %3: recomputing it…")
                       .arg(layer).arg(head).arg(QString::fromStdString(result_.sampleId)));
    Q_EMIT recomputeRequested(QString::fromStdString(result_.sampleId), layer, head);
}

void AttentionPanel::addSummary(const QString& sampleId, const detect::AttentionSummary& summary)
{
    if (sampleId != QString::fromStdString(result_.sampleId))
        return;
    result_.attention.push_back(summary);
    rebuildPickers(summary.layer, summary.head);
}

void AttentionPanel::showMessage(const QString& message)
{
    info_->setText(message);
}

void AttentionPanel::drawSelected()
{
    const int layer = layerCombo_->currentData().toInt(), head = headCombo_->currentData().toInt();
    const detect::AttentionSummary* summary = nullptr;
    for (const detect::AttentionSummary& a : result_.attention)
        if (a.layer == layer && a.head == head)
            summary = &a;
    if (!summary || summary->rows <= 0 || summary->cols <= 0
        || summary->values.size() < std::size_t(summary->rows) * summary->cols) {
        map_->data()->clear();
        map_->setVisible(false);
        shownRows_ = shownCols_ = 0;
        plot_->requestReplot();
        return;
    }
    // QCPColorMap draws a single row or column with zero width: a lone one is stored twice over
    // half the span, so its cell still covers [-0.5, 0.5].
    const int cols = std::max(summary->cols, 2), rows = std::max(summary->rows, 2);
    const QCPRange keys = summary->cols == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, summary->cols - 1);
    const QCPRange values = summary->rows == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, summary->rows - 1);
    QCPColorMapData* d = map_->data();
    d->setSize(cols, rows);
    d->setRange(keys, values);
    float peak = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const int sr = std::min(r, summary->rows - 1), sc = std::min(c, summary->cols - 1);
            const float v = summary->values[std::size_t(sr) * summary->cols + sc];
            d->setCell(c, r, v);
            peak = std::max(peak, v);
        }
    shownRows_ = summary->rows;
    shownCols_ = summary->cols;
    map_->setVisible(true);
    map_->setDataRange(fixedScale_->isChecked() ? QCPRange(0, 1) : QCPRange(0, peak > 0 ? peak : 1));
    plot_->xAxis->setRange(-0.5, summary->cols - 0.5);
    plot_->yAxis->setRange(-0.5, summary->rows - 0.5);
    info_->setText(tr("Sample %1 · head (%2, %3) · %4 response rows × %5 prompt columns")
                       .arg(QString::fromStdString(result_.sampleId)).arg(layer).arg(head)
                       .arg(summary->rows).arg(summary->cols));
    plot_->requestReplot();
}

void AttentionPanel::showHover(QMouseEvent* event)
{
    if (map_->data()->isEmpty())
        return;
    const int col = int(std::lround(plot_->xAxis->pixelToCoord(event->pos().x())));
    const int row = int(std::lround(plot_->yAxis->pixelToCoord(event->pos().y())));
    if (col < 0 || row < 0 || col >= shownCols_ || row >= shownRows_) {
        QToolTip::hideText();
        return;
    }
    const QString token = row < int(result_.responseTokens.size())
        ? QString::fromStdString(result_.responseTokens[row].text).trimmed() : tr("row %1").arg(row);
    const QString column = col < int(result_.promptChunkTexts.size())
        ? QString::fromStdString(result_.promptChunkTexts[col]).left(120) : tr("prompt bin %1").arg(col);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("token “%1” → %2\nattention %3").arg(token, column)
                           .arg(map_->data()->data(col, row), 0, 'f', 4), plot_);
}

} // namespace hs::ui
