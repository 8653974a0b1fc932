// The Run panel's hardware form: built-in profiles plus custom (GPU count and memory), a weight-format
// selector, and the planner's plan for the chosen model shown as the CLI's `info --profile` prints it;
// the choice reaches RunSettings and comes back from a session's stored settings.
#include "ui_test_support.h"

#include "ui/run/detection_controller.h"
#include "ui/panels/run_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSpinBox>
#include <QTest>

using namespace hs;
using namespace hs::ui;

class TestRunPanelHardware : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { uitest::isolateSettings("test_run_panel_hardware"); }
    void formReachesSettingsAndPlan();
    void sessionSettingsRestoreTheChoice();

private:
    static void choose(QComboBox* combo, const QString& data)
    {
        const int i = combo->findData(data);
        QVERIFY2(i >= 0, qPrintable(data));
        combo->setCurrentIndex(i);
    }
};

void TestRunPanelHardware::formReachesSettingsAndPlan()
{
    DetectionController controller;
    RunPanel panel(&controller);
    auto* profile = panel.findChild<QComboBox*>("profile");
    auto* gpus = panel.findChild<QSpinBox*>("customGpus");
    auto* memory = panel.findChild<QDoubleSpinBox*>("customMemory");
    auto* format = panel.findChild<QComboBox*>("weightFormat");
    auto* plan = panel.findChild<QLabel*>("plan");
    QVERIFY(profile && gpus && memory && format && plan);
    panel.setModelDir(qEnvironmentVariable("HS_SOURCE_DIR", ".") + "/tests/fixtures/models/tiny-gqa-llama3");

    choose(profile, "2xt4");
    QVERIFY(!gpus->isEnabled());
    QVERIFY2(plan->text().contains("split on cuda:0 (layers 0-1), cuda:1 (layers 2-2)"), qPrintable(plan->text()));
    QVERIFY2(plan->text().contains("weights nf4"), qPrintable(plan->text()));  // the T4 profiles' default

    choose(profile, "custom");
    QVERIFY(gpus->isEnabled());
    gpus->setValue(2);
    memory->setValue(16);
    choose(format, "int8");
    const detect::RunSettings s = panel.currentSettings();
    QCOMPARE(QString::fromStdString(s.profile), QString("custom"));
    QCOMPARE(s.gpus, 2);
    QCOMPARE(s.gpuMemoryGB, 16.0);
    QCOMPARE(QString::fromStdString(s.quant), QString("int8"));
    QVERIFY2(plan->text().contains("replica x2 on cuda:0, cuda:1"), qPrintable(plan->text()));
    QVERIFY2(plan->text().contains("weights int8"), qPrintable(plan->text()));

    choose(profile, "cpu");
    QCOMPARE(panel.currentSettings().gpus, -1);  // custom's fields only travel with the custom profile
}

void TestRunPanelHardware::sessionSettingsRestoreTheChoice()
{
    DetectionController controller;
    RunPanel panel(&controller);
    panel.applySessionSettings(R"({"profile":"custom","gpus":3,"gpu_memory_gb":40,"quant":"nf4","level":"token"})");
    const detect::RunSettings s = panel.currentSettings();
    QCOMPARE(QString::fromStdString(s.profile), QString("custom"));
    QCOMPARE(s.gpus, 3);
    QCOMPARE(s.gpuMemoryGB, 40.0);
    QCOMPARE(QString::fromStdString(s.quant), QString("nf4"));
}

QTEST_MAIN(TestRunPanelHardware)
#include "test_run_panel_hardware.moc"
