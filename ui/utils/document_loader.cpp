#include "ui/utils/document_loader.h"

#include "ui/models/session_scores.h"

#include "core/model/model_config.h"
#include "core/model/safetensors.h"
#include "core/model/weight_spec.h"

#include "core/analysis/redeep_log.h"
#include "core/data/dataset_reader.h"
#include "core/session/session_store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <exception>

namespace hs::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("DocumentLoader", text); }

// Byte offset into UTF-8 `utf8` -> index into the QString (UTF-16) of the same text.
int utf16Index(const QByteArray& utf8, int byteOffset)
{
    return QString::fromUtf8(utf8.left(qBound(0, byteOffset, int(utf8.size())))).size();
}

// Byte offset into UTF-8 `utf8` -> code-point offset (what dataset files write).
int codePointIndex(const QByteArray& utf8, int byteOffset)
{
    int n = 0;
    for (int i = 0; i < qBound(0, byteOffset, int(utf8.size())); ++i)
        if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80)
            ++n;
    return n;
}

SampleInfo infoFromSample(const data::Sample& s)
{
    SampleInfo info;
    info.id = QString::fromStdString(s.id);
    info.sourceId = QString::fromStdString(s.sourceId);
    info.taskType = QString::fromStdString(s.taskType);
    info.split = QString::fromStdString(s.split);
    info.prompt = QString::fromStdString(s.prompt);
    const QByteArray bytes = QByteArray::fromStdString(s.response);
    info.response = QString::fromUtf8(bytes);
    for (const data::CharSpan& span : s.hallucinations)
        info.hallucinations.append({utf16Index(bytes, span.start), utf16Index(bytes, span.end)});
    const QByteArray prompt = QByteArray::fromStdString(s.prompt);
    for (const data::CharSpan& span : s.responseChunks)
        info.responseChunksCp.append({codePointIndex(bytes, span.start), codePointIndex(bytes, span.end)});
    for (const data::CharSpan& span : s.promptChunks)
        info.promptChunksCp.append({codePointIndex(prompt, span.start), codePointIndex(prompt, span.end)});
    return info;
}

// The log's own per-response fields (ReDeEP keeps the RAGTruth record next to the scores).
// Offsets in the file count code points, which match QString indices outside rare astral text.
SampleCatalog catalogFromLog(const QString& path)
{
    SampleCatalog catalog;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return catalog;
    const QJsonArray records = QJsonDocument::fromJson(file.readAll()).array();
    for (const QJsonValue& v : records) {
        const QJsonObject o = v.toObject();
        SampleInfo info;
        info.id = o.value("id").toVariant().toString();
        info.sourceId = o.value("source_id").toVariant().toString();
        info.split = o.value("split").toString();
        info.response = o.value("response").toString();
        info.taskType = o.value("task_type").toString();
        for (const QJsonValue& l : o.value("labels").toArray())
            info.hallucinations.append({l.toObject().value("start").toInt(), l.toObject().value("end").toInt()});
        if (!info.id.isEmpty())
            catalog.insert(info.id, info);
    }
    return catalog;
}

// In the shared data layout (ragtruth/{redeep_official,redeep_format,faithjudge}) the dataset next
// to a log adds task types and prompts, which the log lacks.
void enrichFromCompanionDataset(const QString& logPath, LoadedDocument& doc)
{
    QDir root = QFileInfo(logPath).absoluteDir();
    if (!root.cdUp() || !root.exists("redeep_format") || !root.exists("faithjudge"))
        return;
    try {
        data::LoadReport report;
        const std::vector<data::Sample> samples = data::loadDataset(root.absolutePath().toStdString(), {}, report);
        for (const data::Sample& s : samples) {
            const QString id = QString::fromStdString(s.id);
            auto it = doc.catalog.find(id);
            if (it == doc.catalog.end())
                continue;
            it->taskType = QString::fromStdString(s.taskType);
            it->prompt = QString::fromStdString(s.prompt);
        }
    } catch (const std::exception&) {
        // The log stands on its own; a companion that does not parse only costs the task types.
    }
}

bool isSqliteFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(16) == QByteArray("SQLite format 3\0", 16);
}

void loadSession(const QString& path, LoadedDocument& doc)
{
    // The GUI opens its own read-only store (a run may be writing the same file).
    session::SessionStore store = session::SessionStore::openReadOnly(path.toStdString());
    auto table = std::make_shared<analysis::FeatureTable>(store.featureTable());
    doc.results = store.loadResults();
    for (const results::SampleResult& r : doc.results) {
        SampleInfo info;
        try {
            info = infoFromSample(store.loadSample(r.sampleId));
        } catch (const std::exception&) {
            info.id = QString::fromStdString(r.sampleId);
        }
        info.tokenCount = int(r.responseTokens.size());
        if (info.taskType.isEmpty())
            info.taskType = QString::fromStdString(r.taskType);
        doc.catalog.insert(info.id, info);
    }
    if (store.hasRun()) {
        const session::RunInfo run = store.runInfo();
        doc.runSettingsJson = QString::fromStdString(run.settingsJson);
        doc.runFinished = run.status == "finished";
    }
    doc.storedScores = storedScoresFor(store.metrics(), *table);
    doc.table = table;
}

bool looksLikeFeatureLog(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(256 * 1024);
    return head.contains("prompt_attention_score") || head.contains("parameter_knowledge_scores");
}
} // namespace

DocumentKind classifyPath(const QString& path)
{
    const QFileInfo fi(path);
    if (fi.isDir())
        return QDir(path).exists("config.json") ? DocumentKind::ModelFolder : DocumentKind::Dataset;
    const QString suffix = fi.suffix().toLower();
    if (isSqliteFile(path))
        return DocumentKind::Session;
    if (suffix == "json" && looksLikeFeatureLog(path))
        return DocumentKind::FeatureLog;
    if (suffix == "json" || suffix == "jsonl")
        return DocumentKind::Dataset;
    return DocumentKind::Unknown;
}

QString describeKind(DocumentKind kind)
{
    switch (kind) {
    case DocumentKind::FeatureLog: return tr("feature log");
    case DocumentKind::Session: return tr("session");
    case DocumentKind::Dataset: return tr("dataset");
    case DocumentKind::ModelFolder: return tr("model folder");
    default: return tr("unknown file");
    }
}

LoadedDocument loadDocument(const QString& path, const analysis::RedeepParams& params)
{
    LoadedDocument doc;
    doc.path = path;
    doc.kind = classifyPath(path);
    try {
        switch (doc.kind) {
        case DocumentKind::FeatureLog: {
            auto table = std::make_shared<analysis::FeatureTable>(analysis::loadRedeepLog(path.toStdString()));
            if (table->rows() == 0)
                throw std::runtime_error("the log holds no scored rows");
            doc.table = table;
            doc.catalog = catalogFromLog(path);
            enrichFromCompanionDataset(path, doc);
            break;
        }
        case DocumentKind::Dataset: {
            data::LoadReport report;
            const std::vector<data::Sample> samples = data::loadDataset(path.toStdString(), {}, report);
            for (const data::Sample& s : samples)
                doc.catalog.insert(QString::fromStdString(s.id), infoFromSample(s));
            for (const std::string& w : report.warnings)
                doc.warnings << QString::fromStdString(w);
            break;
        }
        case DocumentKind::Session:
            loadSession(path, doc);
            break;
        case DocumentKind::ModelFolder: { // header and shapes now, so a broken folder fails here, not at Run
            const model::ModelConfig config = model::ModelConfig::load(path.toStdString());
            const model::WeightFiles files(path.toStdString());
            model::requireWeights(config, files);
            break;
        }
        default:
            doc.error = tr("Not a dataset, model folder, session or feature log: %1").arg(path);
        }
        if (doc.table)
            doc.scored = scoreTable(doc.table, params);
    } catch (const std::exception& e) {
        doc.error = tr("Could not open %1 as a %2: %3").arg(path, describeKind(doc.kind), QString::fromStdString(e.what()));
    }
    return doc;
}

} // namespace hs::ui
