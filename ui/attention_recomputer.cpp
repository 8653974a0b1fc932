#include "ui/attention_recomputer.h"

#include "core/model/model_config.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hs::ui {

namespace {
QJsonArray spanPairs(const QVector<GoldSpan>& spans)
{
    QJsonArray out;
    for (const GoldSpan& s : spans)
        out.append(QJsonArray{s.start, s.end});
    return out;
}

// UTF-16 index into `text` -> code-point index (what RAGTruth files count).
int codePoints(const QString& text, int utf16)
{
    return int(text.left(utf16).toUcs4().size());
}

bool writeLine(const QString& path, const QJsonObject& o, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n') < 0) {
        *error = QObject::tr("Could not write %1").arg(path);
        return false;
    }
    return true;
}
} // namespace

AttentionRecomputer::AttentionRecomputer(QObject* parent, DetectionRunnerFactory factory)
    : QObject(parent), controller_(new DetectionController(this, std::move(factory)))
{
    connect(controller_, &DetectionController::sampleDone, this, [this](const detect::SampleResult& r) {
        for (const detect::AttentionSummary& a : r.attention)
            if (a.layer == layer_ && a.head == head_) {
                gotIt_ = true;
                Q_EMIT ready(sampleId_, a);
            }
    });
    connect(controller_, &DetectionController::error, this, &AttentionRecomputer::failed);
    connect(controller_, &DetectionController::finished, this, [this] {
        if (!gotIt_)
            Q_EMIT failed(tr("Head (%1, %2) could not be recomputed for sample %3").arg(layer_).arg(head_).arg(sampleId_));
        work_.reset();
        if (waiting_) {
            const Request next = std::move(*waiting_);
            waiting_.reset();
            launch(next);
        }
    });
}

bool AttentionRecomputer::request(const detect::RunSettings& base, const SampleInfo& sample, int layer, int head)
{
    const Request r{base, sample, layer, head};
    if (!validate(r))
        return false;
    if (controller_->isBusy())
        waiting_ = r;
    else
        launch(r);
    return true;
}

bool AttentionRecomputer::validate(const Request& r)
{
    if (r.sample.prompt.isEmpty() || r.sample.response.isEmpty() || r.base.modelDir.empty()) {
        Q_EMIT failed(tr("Sample %1 cannot be recomputed: its prompt, response or the model is unknown").arg(r.sample.id));
        return false;
    }
    try { // an explicit head outside the model must never reach the forward pass
        const model::ModelConfig config = model::ModelConfig::load(r.base.modelDir);
        if (r.layer < 0 || r.layer >= config.numLayers || r.head < 0 || r.head >= config.numHeads) {
            Q_EMIT failed(tr("Head (%1, %2) is outside the model (%3 layers × %4 heads)")
                              .arg(r.layer).arg(r.head).arg(config.numLayers).arg(config.numHeads));
            return false;
        }
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
        return false;
    }
    return true;
}

void AttentionRecomputer::launch(const Request& r)
{
    work_ = std::make_unique<QTemporaryDir>();
    QString error;
    if (!work_->isValid() || !writeDataset(r.sample, work_->path(), &error)) {
        Q_EMIT failed(error.isEmpty() ? tr("No temporary folder") : error);
        return;
    }
    sampleId_ = r.sample.id;
    layer_ = r.layer;
    head_ = r.head;
    gotIt_ = false;
    detect::RunSettings s = r.base;
    s.datasetPath = work_->path().toStdString();
    s.sessionPath = QDir(work_->path()).filePath("recompute.hsession").toStdString();
    s.copyHeadsFile.clear();
    s.copyHeads = {{r.layer, r.head}};
    if (s.layers.empty())
        s.layers = {0}; // PKS is not wanted here: one layer keeps the pass cheap
    s.layers.resize(1);
    s.limit = -1;
    controller_->start(s);
}

bool AttentionRecomputer::writeDataset(const SampleInfo& sample, const QString& folder, QString* error) const
{
    QJsonArray labels;
    for (const GoldSpan& g : sample.hallucinations)
        labels.append(QJsonObject{{"start", codePoints(sample.response, g.start)},
                                  {"end", codePoints(sample.response, g.end)}, {"label_type", "gold"}});
    QJsonObject response{{"id", sample.id}, {"source_id", "recompute"}, {"response", sample.response},
                         {"labels", labels}, {"split", sample.split}, {"model", "recompute"}};
    if (!sample.responseChunksCp.isEmpty())
        response.insert("response_spans", spanPairs(sample.responseChunksCp));
    QJsonObject source{{"source_id", "recompute"}, {"task_type", sample.taskType}, {"prompt", sample.prompt},
                       {"source_info", ""}};
    if (!sample.promptChunksCp.isEmpty())
        source.insert("prompt_spans", spanPairs(sample.promptChunksCp));
    return writeLine(QDir(folder).filePath("response.jsonl"), response, error)
        && writeLine(QDir(folder).filePath("source_info.jsonl"), source, error);
}

} // namespace hs::ui
