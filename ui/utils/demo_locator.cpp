#include "ui/utils/demo_locator.h"

#include "core/util/demo_resources.h"
#include "core/util/error.h"

namespace hs::ui {

DemoPaths findDemo()
{
    try {
        const DemoResources d = findDemoResources(); // the same lookup as `halluscope-cli demo`
        return {QString::fromStdString(d.root + "/demo"), QString::fromStdString(d.dataset),
                QString::fromStdString(d.model), QString::fromStdString(d.copyHeads), d};
    } catch (const InputError&) {
        return {};
    }
}

} // namespace hs::ui
