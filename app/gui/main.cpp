// halluscope: the desktop application. Opens the paths given on the command line (datasets, model
// folders, sessions, feature logs); with --screenshot FILE it renders the window once loading has
// finished and exits (for the docs, under Xvfb or QT_QPA_PLATFORM=offscreen).
#include "ui/utils/launch_options.h"
#include "ui/models/analysis_state.h"
#include "ui/run/detection_controller.h"
#include "ui/panels/heads_panel.h"
#include "ui/main_window.h"
#include "ui/panels/run_panel.h"

#include <QAction>
#include <QApplication>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace {
// Waits until nothing is loading, scoring or running, then `then` runs once.
void whenIdle(hs::ui::MainWindow& window, std::function<void()> then)
{
    auto* poll = new QTimer(&window);
    poll->setInterval(100);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, poll, then] {
        if (window.isLoading() || window.analysis()->isScoring() || window.controller()->isBusy()
            || window.headsPanel()->isRanking())
            return;
        poll->stop();
        poll->deleteLater();
        then();
    });
    poll->start();
}

// Renders once everything is idle and the plots have drawn, then quits.
void scheduleScreenshot(hs::ui::MainWindow& window, const QString& path, const QStringList& panels)
{
    whenIdle(window, [&window, path, panels] {
        for (const QString& p : panels)
            window.raisePanel(p);
        QTimer::singleShot(600, &window, [&window, path] {
            const bool ok = window.saveScreenshot(path);
            if (!ok)
                std::fprintf(stderr, "halluscope: could not write %s\n", qPrintable(path));
            QApplication::exit(ok ? 0 : 1);
        });
    });
}
} // namespace

int main(int argc, char** argv)
{
    QApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName("HalluScope");
    QApplication::setOrganizationName("HalluScope");
    QApplication::setApplicationVersion(HS_VERSION);

    const hs::ui::LaunchOptions options = hs::ui::parseLaunchOptions(app);
    hs::ui::MainWindow window;
    const bool screenshot = !options.screenshotPath.isEmpty();
    if (screenshot) {
        window.setProperty("quietErrors", true);
        window.resize(1600, 1000);
    }
    window.show();
    if (!options.error.isEmpty()) {
        if (screenshot) {
            std::fprintf(stderr, "halluscope: %s\n", qPrintable(options.error));
            return 2;
        }
        QMessageBox::warning(&window, QObject::tr("HalluScope"), options.error);
    }
    for (const QString& path : options.paths)
        window.openPath(path);
    if (options.paths.isEmpty() && options.error.isEmpty())
        window.openDemo(); // something to look at and run on first start
    if (!options.level.isEmpty())
        window.runPanel()->setLevel(options.level);
    for (const QString& p : options.raisePanels)
        window.raisePanel(p);
    if (options.run) {
        // Start once the inputs are open; with --screenshot the shot waits for the run's end.
        whenIdle(window, [&window, options, screenshot] {
            window.runPanel()->runAction()->trigger();
            if (!screenshot)
                return;
            if (!window.controller()->isBusy()) { // the run could not start (inputs missing)
                scheduleScreenshot(window, options.screenshotPath, options.raisePanels);
                return;
            }
            QObject::connect(window.controller(), &hs::ui::DetectionController::finished, &window,
                             [&window, options] { scheduleScreenshot(window, options.screenshotPath, options.raisePanels); },
                             Qt::SingleShotConnection);
        });
    } else if (screenshot) {
        scheduleScreenshot(window, options.screenshotPath, options.raisePanels);
    }
    return app.exec();
}
