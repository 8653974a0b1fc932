#pragma once
// What `halluscope [PATH...] [--screenshot FILE]` asks for.
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace hs::ui {

struct LaunchOptions {
    QStringList paths;          // datasets, model folders, sessions or feature logs, opened in order
    QString screenshotPath;     // render the main window to this PNG once loading ends, then quit
    bool run = false;           // start detection once loading ends (with --screenshot: shot after the run)
    QStringList raisePanels;    // panels to bring to the front, e.g. "heads", "attention"
    QString level;              // "token" | "chunk" for --run; empty = as last time
    QString error;              // non-empty when the arguments were invalid
};

// Parses the application's arguments (handles --help and --version itself).
LaunchOptions parseLaunchOptions(const QCoreApplication& app);

} // namespace hs::ui
