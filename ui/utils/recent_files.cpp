#include "ui/utils/recent_files.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace hs::ui {

namespace {
constexpr int kMaxRecent = 10;
constexpr const char* kKey = "recentFiles";
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu)
{
    rebuildMenu();
}

QStringList RecentFiles::paths() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = paths();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxRecent)
        list.removeLast();
    QSettings().setValue(kKey, list);
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    menu_->clear();
    const QStringList list = paths();
    int n = 0;
    for (const QString& p : list) {
        if (!QFileInfo::exists(p))
            continue; // moved or deleted since: hide rather than fail on click
        ++n;
        const QString label = QStringLiteral("&%1 %2").arg(n % 10).arg(QDir::toNativeSeparators(p));
        QAction* a = menu_->addAction(label);
        a->setToolTip(p);
        connect(a, &QAction::triggered, this, [this, p] { Q_EMIT openRequested(p); });
    }
    menu_->setEnabled(n > 0);
    if (n > 0) {
        menu_->addSeparator();
        menu_->addAction(tr("Clear list"), this, [this] {
            QSettings().remove(kKey);
            rebuildMenu();
        });
    }
}

} // namespace hs::ui
