// halluscope: the desktop application. Opens the paths given on the command line (datasets, model
// folders, sessions, feature logs); with --screenshot FILE it renders the window once loading has
// finished and exits (for the docs, under Xvfb or QT_QPA_PLATFORM=offscreen).
#include "ui/launch_options.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

namespace {
// Renders once nothing is loading and the plots' 25 Hz timers have drawn, then quits.
void scheduleScreenshot(hs::ui::MainWindow& window, const QString& path)
{
    auto* poll = new QTimer(&window);
    poll->setInterval(100);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, path, poll] {
        if (window.isLoading())
            return;
        poll->stop();
        QTimer::singleShot(600, &window, [&window, path] {
            const bool ok = window.saveScreenshot(path);
            if (!ok)
                std::fprintf(stderr, "halluscope: could not write %s\n", qPrintable(path));
            QApplication::exit(ok ? 0 : 1);
        });
    });
    poll->start();
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
    if (screenshot)
        scheduleScreenshot(window, options.screenshotPath);
    return app.exec();
}
