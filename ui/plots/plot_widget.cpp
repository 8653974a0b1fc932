#include "ui/plots/plot_widget.h"

#include <QApplication>
#include <QClipboard>
#include <QSaveFile>

#include "ui/plots/replot_scheduler.h"

#include <QBuffer>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSvgGenerator>

namespace hs::ui {

namespace {
constexpr const char* kMarkerLayer = "markers";
}

PlotWidget::PlotWidget(const QString& exportBaseName, QWidget* parent)
    : QCustomPlot(parent), exportBaseName_(exportBaseName)
{
    setMinimumSize(220, 160);
    setNoAntialiasingOnDrag(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setToolTip(tr("Drag to pan, wheel to zoom, double-click to reset; right-click to export"));
    connect(this, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) {
        rescaleAxes();
        requestReplot();
    });
}

void PlotWidget::requestReplot()
{
    ReplotScheduler::instance().request(this);
}

void PlotWidget::replotLayer(const QString& layerName)
{
    if (QCPLayer* l = layer(layerName))
        l->replot();
}

QCPLayer* PlotWidget::markerLayer()
{
    if (QCPLayer* l = layer(kMarkerLayer))
        return l;
    addLayer(kMarkerLayer, layer("main"), QCustomPlot::limAbove);
    QCPLayer* l = layer(kMarkerLayer);
    l->setMode(QCPLayer::lmBuffered); // a moving marker repaints only its own buffer
    return l;
}

void PlotWidget::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Export plot…"), this, &PlotWidget::exportWithDialog);
    menu.addAction(tr("Copy to clipboard"), this, &PlotWidget::copyToClipboard);
    menu.addAction(tr("Export data as CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export plot data"), exportBaseName_ + ".csv",
                                                          tr("CSV (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    menu.addAction(tr("Reset view"), this, [this] {
        rescaleAxes();
        requestReplot();
    });
    menu.exec(event->globalPos());
}

void PlotWidget::exportWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), exportBaseName_ + ".png",
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

bool PlotWidget::exportTo(const QString& path, QString* error, int width, int height)
{
    const int w = width > 0 ? width : qMax(this->width(), 640);
    const int h = height > 0 ? height : qMax(this->height(), 420);
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == "png")
        ok = savePng(path, w, h, 2.0); // 2x so it stays sharp on high-DPI screens and in print
    else if (suffix == "pdf")
        ok = savePdf(path, w, h);
    else if (suffix == "svg")
        ok = exportSvg(path, w, h);
    else if (error)
        *error = tr("Unknown format '%1': use .png, .svg or .pdf").arg(suffix);
    if (!ok && error && error->isEmpty())
        *error = tr("Could not write %1").arg(path);
    return ok;
}

bool PlotWidget::exportSvg(const QString& path, int width, int height)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(width, height));
    generator.setViewBox(QRect(0, 0, width, height));
    generator.setTitle(exportBaseName_);
    QCPPainter painter;
    if (!painter.begin(&generator))
        return false;
    toPainter(&painter, width, height);
    painter.end();
    return QFileInfo::exists(path);
}

void PlotWidget::copyToClipboard()
{
    QApplication::clipboard()->setPixmap(toPixmap(qMax(width(), 640), qMax(height(), 420), 2.0));
}

QString PlotWidget::csvText()
{
    QString out = QStringLiteral("plot,series,x,y,z\n");
    auto name = [](QString s) { return s.replace(',', ';'); };
    const QString plot = exportBaseName_;
    for (int i = 0; i < plottableCount(); ++i) {
        QCPAbstractPlottable* p = plottable(i);
        const QString series = name(p->name().isEmpty() ? QStringLiteral("series %1").arg(i) : p->name());
        auto rows = [&](const auto& data) {
            for (auto it = data->constBegin(); it != data->constEnd(); ++it)
                out += QStringLiteral("%1,%2,%3,%4,\n").arg(plot, series).arg(it->mainKey(), 0, 'g', 17)
                           .arg(it->mainValue(), 0, 'g', 17);
        };
        if (auto* c = qobject_cast<QCPCurve*>(p)) {
            rows(c->data());
        } else if (auto* g = qobject_cast<QCPGraph*>(p)) {
            rows(g->data());
        } else if (auto* m = qobject_cast<QCPColorMap*>(p)) {
            QCPColorMapData* d = m->data();
            for (int x = 0; x < d->keySize(); ++x)
                for (int y = 0; y < d->valueSize(); ++y) {
                    double k = 0, v = 0;
                    d->cellToCoord(x, y, &k, &v);
                    out += QStringLiteral("%1,%2,%3,%4,%5\n").arg(plot, series).arg(k, 0, 'g', 17)
                               .arg(v, 0, 'g', 17).arg(d->cell(x, y), 0, 'g', 17);
                }
        }
    }
    return out;
}

bool PlotWidget::exportCsv(const QString& path, QString* error)
{
    QSaveFile file(path);
    const QByteArray bytes = csvText().toUtf8();
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error)
        *error = tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
}

QByteArray PlotWidget::toPngBytes(int width, int height)
{
    QPixmap pixmap = toPixmap(width, height, 1.0);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    pixmap.save(&buffer, "PNG");
    return bytes;
}

} // namespace hs::ui
