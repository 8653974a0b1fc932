#pragma once
// qcustomplot.h spells Qt's `signals`, `slots`, `emit` and `foreach` keywords, which hs_ui turns
// off (QT_NO_KEYWORDS). Include QCustomPlot only through this header: it lends the keywords for
// the one include and takes them back.
#include <QtGlobal>

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
