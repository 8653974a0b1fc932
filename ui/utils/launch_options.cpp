#include "ui/utils/launch_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace hs::ui {

LaunchOptions parseLaunchOptions(const QCoreApplication& app)
{
    LaunchOptions options;
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main",
        "HalluScope: detect RAG hallucinations with ReDeEP, tune thresholds and inspect heads."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("path", QCoreApplication::translate("main",
        "Dataset file or folder, model folder, session (.hsession/.sqlite) or ReDeEP feature log (.json)."),
        "[PATH...]");
    QCommandLineOption screenshot("screenshot",
        QCoreApplication::translate("main", "Render the main window to FILE (PNG) after loading, then exit."),
        "FILE");
    parser.addOption(screenshot);
    QCommandLineOption run("run", QCoreApplication::translate("main",
        "Start detection once the inputs are open (the demo when no path is given)."));
    parser.addOption(run);
    QCommandLineOption level("level", QCoreApplication::translate("main", "Detection level for --run: token or chunk."),
                             "LEVEL");
    parser.addOption(level);
    QCommandLineOption show("show", QCoreApplication::translate("main",
        "Bring panels to the front (comma-separated: run, samples, threshold, heads, live, attention, log)."),
        "PANELS");
    parser.addOption(show);
    parser.process(app);
    options.run = parser.isSet(run);
    options.level = parser.value(level);
    options.raisePanels = parser.value(show).split(',', Qt::SkipEmptyParts);

    options.screenshotPath = parser.value(screenshot);
    for (const QString& p : parser.positionalArguments()) {
        if (!QFileInfo::exists(p)) {
            options.error = QCoreApplication::translate("main", "No such file or folder: %1").arg(p);
            continue;
        }
        options.paths << QFileInfo(p).absoluteFilePath();
    }
    return options;
}

} // namespace hs::ui
