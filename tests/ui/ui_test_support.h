#pragma once
// Helpers shared by the Qt Test suites: where ../shared is, and a clean QSettings per test run.
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QString>

namespace hs::uitest {

inline QString sharedPath(const QString& rel)
{
    QString root = qEnvironmentVariable("HS_SHARED_DIR");
    if (root.isEmpty())
        root = qEnvironmentVariable("HS_SOURCE_DIR", ".") + "/../shared";
    const QString p = QDir(root).filePath(rel);
    return QFileInfo::exists(p) ? QFileInfo(p).absoluteFilePath() : QString();
}

inline QString publishedLog()
{
    return sharedPath("data/ragtruth/redeep_official/official_llama2_7B_response_chunk.json");
}

// QSettings written by the window go to a throw-away test location, not the user's.
inline void isolateSettings(const char* suite)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("HalluScopeTests");
    QCoreApplication::setApplicationName(suite);
}

} // namespace hs::uitest
