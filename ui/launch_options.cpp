#include "ui/launch_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace hs::ui {

LaunchOptions parseLaunchOptions(const QCoreApplication& app)
{
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
    parser.process(app);

    LaunchOptions options;
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
