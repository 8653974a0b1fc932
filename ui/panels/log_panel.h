#pragma once
// The warnings log: skipped records (with file:line), run errors, and what was loaded.
#include <QWidget>

class QPlainTextEdit;
class QLabel;

namespace hs::ui {

class LogPanel : public QWidget {
    Q_OBJECT
public:
    explicit LogPanel(QWidget* parent = nullptr);
    int warningCount() const { return warnings_; }
    int errorCount() const { return errors_; }
    QString text() const;

public Q_SLOTS:
    void addInfo(const QString& message);
    void addWarning(const QString& message);
    void addError(const QString& message);
    void clear();

private:
    void append(const QString& level, const QString& colour, const QString& message);
    void updateCounts();

    QPlainTextEdit* view_ = nullptr;
    QLabel* counts_ = nullptr;
    int warnings_ = 0, errors_ = 0;
};

} // namespace hs::ui
