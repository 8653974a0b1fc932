// The GUI keeps its scores in the session (issue 13): a finished run and Save Session store the scores
// on screen in the session's metrics with their method and mode (core's session::storeScores, the
// writer of `regress --session`); reopening shows them without computing them again, and they are
// the numbers the GUI computes; Export Scores and `halluscope-cli export --level sample` write the
// same bytes; a session that cannot be written says so in the log. Real session files, no model.
#include "fake_detection_runner.h"
#include "ui_test_support.h"

#include "tests/run_command.h"

#include "ui/main_window.h"
#include "ui/models/analysis_state.h"
#include "ui/models/session_scores.h"
#include "ui/panels/log_panel.h"
#include "ui/panels/threshold_panel.h"
#include "ui/run/detection_controller.h"

#include "core/session/session_scores.h"

#include <QFile>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <algorithm>
#include <memory>

using namespace hs;
using namespace hs::ui;
using namespace std::chrono_literals;

namespace {

void waitIdle(AnalysisState* a)
{
    for (int i = 0; i < 600 && a->isScoring(); ++i)
        QTest::qWait(100);
    QVERIFY(!a->isScoring());
}

bool openAndWait(MainWindow& w, const QString& path)
{
    QSignalSpy loaded(&w, &MainWindow::documentLoaded);
    w.openPath(path);
    return loaded.wait(30000);
}

nlohmann::json metricsOf(const QString& path)
{
    return session::SessionStore::openReadOnly(path.toStdString()).metrics();
}

QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The stored scores of `path` in the order of `ids`; NaN where an id has none.
std::vector<double> storedInOrder(const QString& path, const std::vector<std::string>& ids)
{
    const std::map<std::string, double> stored = session::sampleScores(metricsOf(path));
    std::vector<double> out;
    for (const std::string& id : ids)
        out.push_back(stored.count(id) ? stored.at(id) : std::nan(""));
    return out;
}

} // namespace

class TestSessionScores : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void finishedRunStoresItsScores();
    void saveStoresScoresAndReopeningShowsThem();
    void guiAndCliExportTheSameFile();
    void unwritableSessionSaysSoInTheLog();

private:
    std::unique_ptr<MainWindow> window_;
    QTemporaryDir tmp_;
    QString saved_; // the session Save Session stored ensemble scores in
};

void TestSessionScores::initTestCase()
{
    uitest::isolateSettings("test_session_scores");
    window_ = std::make_unique<MainWindow>(); // 1400 × 900
    window_->setProperty("quietErrors", true);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestSessionScores::finishedRunStoresItsScores()
{
    // A run into a real session file (the scripted runner scores what the file holds): when its
    // final scores are in, they are in the session's metrics, with the scorer chosen.
    const QString path = tmp_.filePath("run.hsession");
    uitest::writeFakeSession(path.toStdString(), 60);
    QVERIFY(session::sampleScores(metricsOf(path)).empty());
    window_->thresholdPanel()->selectScorer(QStringLiteral("chunk-logistic"));
    window_->controller()->setRunnerFactory(uitest::fakeFactory(std::make_shared<uitest::FakeSession>(), 60, 6, 100us));
    detect::RunSettings s;
    s.sessionPath = path.toStdString();
    QSignalSpy finished(window_->controller(), &DetectionController::finished);
    window_->controller()->start(s);
    QVERIFY(finished.wait(60000));
    AnalysisState* a = window_->analysis();
    waitIdle(a);
    QCOMPARE(a->shownScorer(), QStringLiteral("chunk-logistic"));
    const nlohmann::json m = metricsOf(path);
    QVERIFY2(m.is_object() && m.contains("scored_by"), m.dump().c_str());
    QCOMPARE(QString::fromStdString(m["scored_by"]["method"].get<std::string>()), QStringLiteral("chunk-logistic"));
    QCOMPARE(QString::fromStdString(m["scored_by"]["mode"].get<std::string>()), QStringLiteral("cv"));
    QCOMPARE(m["scored_by"]["folds"].get<int>(), kScorerFolds);
    QCOMPARE(m["scored_by"]["threshold"].get<double>(), a->threshold());
    QCOMPARE(storedInOrder(path, a->scores().ids), a->scores().score);
    QVERIFY2(window_->logPanel()->text().contains("Stored the chunk-logistic (5-fold held-out) scores of 60 responses"),
             qPrintable(window_->logPanel()->text()));

    // Reopened, the session lists its responses in its scoring order (fake-0, fake-1, fake-10, ...), as the
    // run's final table did (not as they finished): the stored scores are what that table gives, and are shown.
    MainWindow other;
    other.setProperty("quietErrors", true);
    QVERIFY(openAndWait(other, path));
    QCOMPARE(other.analysis()->table().responseIds, a->table().responseIds);
    QVERIFY(!other.analysis()->isScoring());
    QCOMPARE(other.analysis()->shownScorer(), QStringLiteral("chunk-logistic"));
    QVERIFY2(other.analysis()->scorerNote().contains("stored in the session"), qPrintable(other.analysis()->scorerNote()));
    QCOMPARE(other.analysis()->scores().score, a->scores().score);
    // The same responses in another order give other folds: those stored scores are not used as they are.
    analysis::FeatureTable reversed = other.analysis()->table();
    std::reverse(reversed.responseIds.begin(), reversed.responseIds.end());
    std::reverse(reversed.responseLabels.begin(), reversed.responseLabels.end());
    const std::optional<StoredScores> stored = storedScoresFor(m, reversed);
    QVERIFY(stored.has_value());
    QCOMPARE(stored->method, QStringLiteral("chunk-logistic"));
    QVERIFY(stored->scores.ids.empty());
    QVERIFY(!storedScoresFor(m, other.analysis()->table())->scores.ids.empty());
}

void TestSessionScores::saveStoresScoresAndReopeningShowsThem()
{
    saved_ = tmp_.filePath("saved.hsession");
    uitest::writeFakeSession(saved_.toStdString(), 60);
    QVERIFY(openAndWait(*window_, saved_));
    AnalysisState* a = window_->analysis();
    window_->thresholdPanel()->selectScorer(QStringLiteral("ensemble"));
    waitIdle(a);
    QCOMPARE(a->shownScorer(), QStringLiteral("ensemble"));
    window_->thresholdPanel()->slider()->setValue(380);
    const double mine = a->threshold();
    const std::vector<double> shown = a->scores().score;
    QString error;
    QVERIFY2(window_->saveSession({}, &error), qPrintable(error));
    const nlohmann::json m = metricsOf(saved_);
    QVERIFY2(m.is_object() && m.contains("scored_by"), m.dump().c_str());
    QCOMPARE(QString::fromStdString(m["scored_by"]["method"].get<std::string>()), QStringLiteral("ensemble"));
    QCOMPARE(m["scored_by"]["threshold"].get<double>(), mine);
    QCOMPARE(storedInOrder(saved_, a->scores().ids), shown);

    // Reopened in a fresh window: the stored ensemble scores are on screen at once, not computed again.
    MainWindow other;
    other.setProperty("quietErrors", true);
    QVERIFY(openAndWait(other, saved_));
    AnalysisState* b = other.analysis();
    QVERIFY(!b->isScoring());
    QCOMPARE(b->scorer(), QStringLiteral("ensemble"));
    QCOMPARE(b->shownScorer(), QStringLiteral("ensemble"));
    QVERIFY2(b->scorerNote().contains("stored in the session"), qPrintable(b->scorerNote()));
    QCOMPARE(b->scores().score, shown);
    QCOMPARE(b->threshold(), mine);
    QString error2;
    QVERIFY2(other.saveSession({}, &error2), qPrintable(error2)); // saved again as reopened: the same record
    const nlohmann::json again = metricsOf(saved_)["scored_by"];
    QVERIFY2(again == m["scored_by"], (again.dump() + "\n" + m["scored_by"].dump()).c_str());
    // They are the numbers the GUI computes: core's scoring of the reopened table, and the GUI's own
    // when the scorer is chosen again.
    const ScoredTable computed = scoreTable(b->tableHandle(), b->params(), ScorerSpec{QStringLiteral("ensemble"), {}});
    QCOMPARE(computed.method, QStringLiteral("ensemble"));
    QCOMPARE(computed.scores.ids, b->scores().ids);
    QCOMPARE(computed.scores.score, shown);
    other.thresholdPanel()->selectScorer(QStringLiteral("redeep"));
    waitIdle(b);
    other.thresholdPanel()->selectScorer(QStringLiteral("ensemble"));
    waitIdle(b);
    QVERIFY(!b->scorerNote().contains("stored"));
    QCOMPARE(b->scores().score, shown);
}

void TestSessionScores::guiAndCliExportTheSameFile()
{
    QVERIFY(!saved_.isEmpty());
    // The window shows saved_ with the scores stored in it (the previous case).
    QCOMPARE(window_->documentPath(), saved_);
    const QString cli = qEnvironmentVariable("HS_BUILD_DIR") + "/app/halluscope-cli";
    if (!QFileInfo::exists(cli))
        QSKIP("halluscope-cli is not built (HS_BUILD_DIR/app/halluscope-cli)");
    for (const QString format : {QStringLiteral("csv"), QStringLiteral("json")}) {
        const QString fromGui = tmp_.filePath("gui." + format), fromCli = tmp_.filePath("cli." + format);
        QString error;
        QVERIFY2(window_->exportReport(fromGui, &error), qPrintable(error));
        const test::CommandOutput r = test::runCommand(
            (cli + " export --session " + saved_ + " --level sample --format " + format + " --out " + fromCli + " 2>&1")
                .toStdString());
        QVERIFY2(r.exitCode == 0, r.out.c_str());
        QVERIFY(!bytesOf(fromCli).isEmpty());
        QCOMPARE(bytesOf(fromGui), bytesOf(fromCli));
    }
    // The CLI's score column is filled and names the method and that the scores are held out.
    const QStringList lines = QString::fromUtf8(bytesOf(tmp_.filePath("cli.csv"))).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 61);
    QVERIFY(lines[0].startsWith("id,source_id,task,label,score,units,prompt_tokens,total_tokens,seconds,method,mode,"));
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList f = lines[i].split(',');
        QVERIFY2(!f[4].isEmpty() && f[9] == "ensemble" && f[10] == "held-out", qPrintable(lines[i]));
    }
}

void TestSessionScores::unwritableSessionSaysSoInTheLog()
{
    const QString path = tmp_.filePath("locked.hsession");
    uitest::writeFakeSession(path.toStdString(), 60);
    QVERIFY(openAndWait(*window_, path));
    waitIdle(window_->analysis());
    // A file this process cannot write: by its mode, or (as root, whom modes do not stop) immutable.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    const bool immutable = ::access(path.toLocal8Bit().constData(), W_OK) == 0
                           && test::runCommand(("chattr +i " + path + " 2>/dev/null").toStdString()).exitCode == 0;
    struct Unlock {
        QString path;
        bool immutable;
        ~Unlock()
        {
            if (immutable)
                test::runCommand(("chattr -i " + path).toStdString());
            QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        }
    } unlock{path, immutable};
    if (::access(path.toLocal8Bit().constData(), W_OK) == 0)
        QSKIP("cannot make a file unwritable here (root, and chattr +i is not permitted)");
    QString error;
    QVERIFY2(window_->saveSession({}, &error), qPrintable(error)); // the view is saved beside it
    QVERIFY2(window_->logPanel()->text().contains("The scores were not stored in locked.hsession"),
             qPrintable(window_->logPanel()->text()));
    QVERIFY(window_->analysis()->hasData()); // the window goes on showing them
    QVERIFY(session::sampleScores(metricsOf(path)).empty());
}

QTEST_MAIN(TestSessionScores)
#include "test_session_scores.moc"
