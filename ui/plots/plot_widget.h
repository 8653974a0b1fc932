#pragma once
// A QCustomPlot with the things every HalluScope plot shares: a context menu that exports the plot
// as PNG, SVG or PDF, high-DPI aware rendering, and a replot that goes through ReplotScheduler so
// that bursts of data updates cost one paint, at most 25 per second (docs/gui.md).
#include "ui/plots/qcustomplot_include.h"

#include <QString>

namespace hs::ui {

class PlotWidget : public QCustomPlot {
    Q_OBJECT
public:
    explicit PlotWidget(const QString& exportBaseName, QWidget* parent = nullptr);

    // Marks the plot dirty; the scheduler replots it once, soon. Never replots synchronously.
    void requestReplot();
    // Repaints only `layer` (e.g. a moving marker) without re-rendering the data layers.
    void replotLayer(const QString& layerName);

    // Writes the plot to `path`; the format follows the suffix (.png, .svg, .pdf). Returns false
    // with a reason in `error` when the file cannot be written.
    bool exportTo(const QString& path, QString* error = nullptr, int width = 0, int height = 0);
    // The plot rendered to a PNG in memory (for reports).
    QByteArray toPngBytes(int width, int height);
    void exportWithDialog(); // asks for a file, then exportTo
    // Puts the plot on the clipboard as an image (2× resolution).
    void copyToClipboard();
    // The plot's data as CSV: one block per curve, graph or colour map, each headed by its name
    // (`plot,series,x,y,z` rows; z only for colour maps). False with a reason on failure.
    bool exportCsv(const QString& path, QString* error = nullptr);
    QString csvText();
    const QString& exportBaseName() const { return exportBaseName_; }

    // Gives a layer above "main" for moving markers, creating it on first use.
    QCPLayer* markerLayer();

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    bool exportSvg(const QString& path, int width, int height);

    QString exportBaseName_;
};

} // namespace hs::ui
