#pragma once
// The engine's value types, registered with Qt so they can ride queued signals across threads.
// Only plain structs cross the worker/GUI boundary: no QObjects, no tensors (docs/architecture.md).
#include "core/detect/detector.h"
#include "core/detect/engine_service.h"
#include "core/results/sample_result.h"

#include <QMetaType>

Q_DECLARE_METATYPE(hs::results::SampleResult)
Q_DECLARE_METATYPE(std::vector<hs::results::SampleResult>)
Q_DECLARE_METATYPE(hs::results::AttentionSummary)
Q_DECLARE_METATYPE(hs::detect::Progress)
Q_DECLARE_METATYPE(hs::detect::RunSummary)
Q_DECLARE_METATYPE(hs::detect::RunSettings)
// (here, not beside AttentionInspector: every moc that names it must see it first)
Q_DECLARE_METATYPE(hs::detect::TokenAttention)

namespace hs::ui {
// Registers the types above; idempotent, call before the first queued connection.
void registerDetectionMetaTypes();
} // namespace hs::ui
