#include "ui/demo_locator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace hs::ui {

DemoPaths findDemo()
{
    QStringList candidates;
    const QString appDir = QCoreApplication::applicationDirPath();
    candidates << QDir(appDir).filePath("../share/halluscope/demo") << QDir(appDir).filePath("../resources/demo");
#ifdef HS_DEFAULT_DEMO_DIR
    candidates << QStringLiteral(HS_DEFAULT_DEMO_DIR);
#endif
    for (const QString& c : candidates) {
        const QDir dir(c);
        if (dir.exists("model/model.safetensors") && dir.exists("data/response.jsonl")) {
            DemoPaths p;
            p.root = dir.absolutePath();
            p.dataset = dir.absoluteFilePath("data");
            p.model = dir.absoluteFilePath("model");
            if (dir.exists("copy_heads.json"))
                p.copyHeads = dir.absoluteFilePath("copy_heads.json");
            return p;
        }
    }
    return {};
}

} // namespace hs::ui
