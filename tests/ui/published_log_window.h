#pragma once
// The fixture of test_main_window and test_exports: the real MainWindow, 1400 x 900, with the published
// ReDeEP feature log open and its heads ranked (no model needed).
#include "ui_test_support.h"

#include "ui/main_window.h"
#include "ui/panels/heads_panel.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace hs::uitest {

// In initTestCase. False when the log is absent (the suite is skipped) or did not load (a failure is
// recorded): the caller returns at once.
inline bool openPublishedLogWindow(const char* suite, std::unique_ptr<ui::MainWindow>& window, QString& log)
{
    isolateSettings(suite);
    QSettings().clear();
    log = publishedLog();
    if (log.isEmpty()) {
        QTest::qSkip("../shared/data/ragtruth/redeep_official is absent", __FILE__, __LINE__);
        return false;
    }
    window = std::make_unique<ui::MainWindow>();
    window->setProperty("quietErrors", true);
    window->resize(1400, 900);
    window->show();
    if (!QTest::qVerify(QTest::qWaitForWindowExposed(window.get()), "window exposed", "", __FILE__, __LINE__))
        return false;
    QSignalSpy loaded(window.get(), &ui::MainWindow::documentLoaded);
    QSignalSpy ranked(window->headsPanel(), &ui::HeadsPanel::rankingReady);
    window->openPath(log);
    if (!QTest::qVerify(loaded.wait(30000), "log loaded", "", __FILE__, __LINE__))
        return false;
    // MI ranking runs on a worker thread.
    return QTest::qVerify(ranked.count() > 0 || ranked.wait(60000), "heads ranked", "", __FILE__, __LINE__);
}

} // namespace hs::uitest
