#!/usr/bin/env python3
"""Golden values for HalluScope's analysis module, computed with scikit-learn / SciPy / NumPy.

Usage (on a machine with numpy, scipy and scikit-learn):
    python3 tools/golden/mi_sklearn.py \
        ../shared/data/ragtruth/redeep_official/official_llama2_7B_response_chunk.json \
        tests/fixtures/analysis/mi_sklearn.json

What it writes (JSON), read by tests/analysis/test_mi_sklearn_golden.cpp:
  * "numpy_standard_normal_seed0": RandomState(0).standard_normal(6), to check the C++ port of
    NumPy's legacy normal generator (the noise sklearn adds to break ties).
  * "mi": for a few published chunk-level features (ECS of 3 heads, PKS of 3 layers) against the
    chunk hallucination label, with n_neighbors=3:
      - "mi_sklearn": mutual_info_classif(x.reshape(-1, 1), y, n_neighbors=3, random_state=seed)
        (sklearn's default path, with its 1e-10 tie-breaking noise);
      - "mi_no_noise": sklearn's own estimator _compute_mi_cd on scale(x, with_mean=False), i.e. the
        same computation without the noise (deterministic, seed-free).
  * "reference": ReDeEP's chunk_level_reg recipe re-scored with pandas-free NumPy/sklearn
    (top_n=3, top_k=4, alpha=0.6, m=1): selected heads/layers, response-level AUC and PCC.
"""
import json
import sys

import numpy as np
import scipy
import sklearn
from scipy.stats import pearsonr
from sklearn.feature_selection import mutual_info_classif
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import MinMaxScaler, scale

try:  # private, but it is exactly the estimator behind mutual_info_classif
    from sklearn.feature_selection._mutual_info import _compute_mi_cd
except ImportError:  # very old releases
    from sklearn.feature_selection.mutual_info_ import _compute_mi_cd

HEADS = ["(31, 18)", "(20, 15)", "(1, 14)"]
LAYERS = ["layer_30", "layer_20", "layer_0"]
SEEDS = [0, 42]


def load(path):
    with open(path) as f:
        data = json.load(f)
    ecs_names = list(data[0]["scores"][0]["prompt_attention_score"].keys())
    pks_names = list(data[0]["scores"][0]["parameter_knowledge_scores"].keys())
    ecs, pks, y, resp = [], [], [], []
    for i, r in enumerate(data):
        for c in r["scores"]:
            ecs.append([c["prompt_attention_score"][n] for n in ecs_names])
            pks.append([c["parameter_knowledge_scores"][n] for n in pks_names])
            y.append(int(c["hallucination_label"]))
            resp.append(i)
    return ecs_names, pks_names, np.array(ecs, float), np.array(pks, float), np.array(y), np.array(resp)


def reference(ecs_names, pks_names, ecs, pks, y, resp):
    auc_e = [(roc_auc_score(1 - y, ecs[:, k]), n) for k, n in enumerate(ecs_names)]
    auc_p = [(roc_auc_score(y, pks[:, k]), n) for k, n in enumerate(pks_names)]
    heads = [n for _, n in sorted(auc_e, reverse=True)[:3]]
    layers = [n for _, n in sorted(auc_p, reverse=True)[:4]]
    e = sum(ecs[:, ecs_names.index(n)] for n in heads)
    p = sum(pks[:, pks_names.index(n)] for n in layers)
    e = MinMaxScaler().fit_transform(e.reshape(-1, 1)).ravel()
    p = MinMaxScaler().fit_transform(p.reshape(-1, 1)).ravel()
    d = 1.0 * p - 0.6 * e
    n_resp = resp.max() + 1
    score = np.array([d[resp == i].mean() for i in range(n_resp)])
    label = np.array([y[resp == i].max() for i in range(n_resp)])
    score = MinMaxScaler().fit_transform(score.reshape(-1, 1)).ravel()
    return {"heads": heads, "layers": layers, "auc": float(roc_auc_score(label, score)),
            "pcc": float(pearsonr(label, score)[0])}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    log, out = sys.argv[1], sys.argv[2]
    ecs_names, pks_names, ecs, pks, y, resp = load(log)
    entries = []
    for kind, names, mat, wanted in (("ecs", ecs_names, ecs, HEADS), ("pks", pks_names, pks, LAYERS)):
        for name in wanted:
            x = mat[:, names.index(name)]
            no_noise = float(_compute_mi_cd(scale(x, with_mean=False), y, 3))
            for seed in SEEDS:
                mi = float(mutual_info_classif(x.reshape(-1, 1), y, n_neighbors=3, random_state=seed)[0])
                entries.append({"feature": name, "kind": kind, "seed": seed, "n_neighbors": 3,
                                "mi_sklearn": mi, "mi_no_noise": no_noise})
    result = {
        "generator": "tools/golden/mi_sklearn.py",
        "log": log.split("/")[-1],
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
        "numpy_standard_normal_seed0": np.random.RandomState(0).standard_normal(6).tolist(),
        "rows": int(len(y)),
        "mi": entries,
        "reference": reference(ecs_names, pks_names, ecs, pks, y, resp),
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print("wrote", out, "with", len(entries), "MI values; reference AUC", result["reference"]["auc"])


if __name__ == "__main__":
    main()
