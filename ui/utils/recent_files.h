#pragma once
// The "Open Recent" list, kept in QSettings so it survives restarts.
#include <QObject>
#include <QStringList>

class QMenu;

namespace hs::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);
    void add(const QString& path);
    QStringList paths() const;

Q_SIGNALS:
    void openRequested(const QString& path);

private:
    void rebuildMenu();
    QMenu* menu_;
};

} // namespace hs::ui
