#pragma once
// A scripted stand-in for the Detector: produces synthetic SampleResults (faithful samples have
// higher ECS and lower PKS, so scores separate) at a chosen pace, honours cancel() between
// samples like the Detector does between batches, and resumes where a shared "session" left off.
#include "ui/run/detection_runner.h"

#include "core/session/session_store.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <thread>

namespace hs::uitest {

struct FakeSession {
    std::atomic<int> saved{0}; // samples "saved" so far; a new run resumes after them
    std::atomic<int> runs{0};
};

class FakeDetectionRunner : public ui::DetectionRunner {
public:
    FakeDetectionRunner(std::shared_ptr<FakeSession> session, int total, int unitsPerSample,
                        std::chrono::microseconds perSample)
        : session_(std::move(session)), total_(total), units_(unitsPerSample), perSample_(perSample)
    {
    }

    detect::RunSummary run(detect::Observer& observer) override
    {
        ++session_->runs;
        detect::RunSummary summary;
        summary.total = total_;
        summary.resumedSkipped = session_->saved;
        observer.onRunStarted(total_, session_->saved);
        observer.onWarning("fake.jsonl:3: record skipped (test warning)");
        const auto start = std::chrono::steady_clock::now();
        for (int i = session_->saved; i < total_; ++i) {
            if (cancelled_) {
                summary.cancelled = true;
                break;
            }
            std::this_thread::sleep_for(perSample_); // the "forward pass"
            observer.onSampleDone(makeResult(i));
            ++session_->saved;
            ++summary.processed;
            detect::Progress p;
            p.done = session_->saved;
            p.total = total_;
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            p.samplesPerMinute = secs > 0 ? summary.processed * 60.0 / secs : 0;
            p.etaSeconds = p.samplesPerMinute > 0 ? (total_ - p.done) * 60.0 / p.samplesPerMinute : 0;
            p.deviceMemoryMB = 123;
            observer.onProgress(p);
        }
        observer.onFinished(summary);
        return summary;
    }
    void cancel() override { cancelled_ = true; }

    results::SampleResult makeResult(int i) const
    {
        std::mt19937 rng(unsigned(i) * 7919u + 1);
        std::normal_distribution<float> noise(0, 0.15f);
        results::SampleResult r;
        r.sampleId = "fake-" + std::to_string(i);
        r.taskType = i % 3 == 0 ? "QA" : (i % 3 == 1 ? "Summary" : "Data2txt");
        r.responseLabel = i % 2;
        r.promptTokens = 40;
        r.totalTokens = 40 + units_;
        for (int t = 0; t < units_; ++t) {
            results::ScoredUnit u;
            u.tokenBegin = 40 + t;
            u.tokenEnd = 41 + t;
            u.label = r.responseLabel && t > units_ / 2 ? 1 : 0;
            for (int k = 0; k < 8; ++k)
                u.ecs.push_back((u.label ? 0.4f : 0.6f) + noise(rng));
            for (int k = 0; k < 4; ++k)
                u.pks.push_back((u.label ? 0.6f : 0.4f) + noise(rng));
            r.units.push_back(u);
            r.responseTokens.push_back({" tok" + std::to_string(t), t * 4, t * 4 + 4});
        }
        for (int h = 0; h < 2; ++h) {
            results::AttentionSummary a;
            a.layer = 10 + h;
            a.head = h;
            a.rows = units_;
            a.cols = 6;
            for (int c = 0; c < a.rows * a.cols; ++c)
                a.values.push_back(std::abs(noise(rng)));
            r.attention.push_back(a);
        }
        r.promptChunkTexts = {"chunk a", "chunk b", "chunk c", "chunk d", "chunk e", "chunk f"};
        r.seconds = 0.01;
        return r;
    }

private:
    std::shared_ptr<FakeSession> session_;
    int total_, units_;
    std::chrono::microseconds perSample_;
    std::atomic<bool> cancelled_{false};
};

// A real, finished session file holding `samples` of the scripted runner's results (8 heads, 4 layers).
inline void writeFakeSession(const std::string& path, int samples)
{
    session::SessionStore store(path);
    store.beginRun("{}", "test-hash");
    FakeDetectionRunner maker(std::make_shared<FakeSession>(), samples, 6, std::chrono::microseconds(0));
    std::vector<std::string> ecs, pks;
    for (int k = 0; k < 8; ++k)
        ecs.push_back("(" + std::to_string(10 + k) + ", " + std::to_string(k) + ")");
    for (int k = 0; k < 4; ++k)
        pks.push_back("layer_" + std::to_string(k));
    store.setFeatureNames(ecs, pks);
    for (int i = 0; i < samples; ++i) {
        const results::SampleResult r = maker.makeResult(i);
        data::Sample s;
        s.id = r.sampleId;
        s.taskType = r.taskType;
        s.responseLabel = r.responseLabel;
        s.response = "a response";
        s.prompt = "a prompt";
        store.saveSample(s, r);
    }
    store.markFinished();
}

inline ui::DetectionRunnerFactory fakeFactory(std::shared_ptr<FakeSession> session, int total, int units,
                                              std::chrono::microseconds perSample)
{
    return [=](const detect::RunSettings&) {
        return std::make_unique<FakeDetectionRunner>(session, total, units, perSample);
    };
}

} // namespace hs::uitest
