#!/usr/bin/env bash
# One GPU-machine call that makes every Hugging Face / scikit-learn reference output the C++ tests
# compare against, trains the demo model, and probes the CUDA build. Run from the repo root with
# .deps (shared data copy + unpacked .debs) carried; results come back as $OUT/golden.tgz.
set -uo pipefail
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
R=/tmp/golden; rm -rf $R; mkdir -p $R
SH=.deps/shared/data
step() { echo "=== $1 ($(date +%T))"; }
{ nvidia-smi; python3 -c 'import torch,transformers,tokenizers,sklearn;print(torch.__version__,transformers.__version__,tokenizers.__version__,sklearn.__version__)'; } > $R/versions.txt 2>&1
step fixtures; python3 tools/golden/make_model_fixtures.py --out $R/models > $R/fixtures.log 2>&1; echo rc=$?
for m in tiny-mha tiny-gqa-llama3; do
  step "features $m"; python3 tools/golden/redeep_reference.py --model $R/models/$m \
    --samples tests/fixtures/detect/golden_samples.json --out $R/golden_features.$m.json > $R/features.$m.log 2>&1; echo rc=$?
done
step bert; python3 tools/golden/make_bert_fixture.py --tokenizer tests/fixtures/tokenizer/tiny-wordpiece/tokenizer.json --out $R/bert > $R/bert.log 2>&1; echo rc=$?
step tokenizers; python3 tools/golden/make_tokenizer_golden.py --models $SH/models --corpus tests/fixtures/tokenizer/corpus.jsonl --out $R/tokgolden > $R/tokgolden.log 2>&1; echo rc=$?
if [ -f tools/golden/mi_sklearn.py ]; then
  step mi; python3 tools/golden/mi_sklearn.py --log $SH/ragtruth/redeep_official/official_llama2_7B_response_chunk.json --out $R/mi_sklearn.json > $R/mi.log 2>&1; echo rc=$?
fi
step demo; python3 tools/demo/train_demo_model.py --seed 1234 --out $R/demo-model --find-copy-heads > $R/demo.log 2>&1; echo rc=$?
step cuda-build; bash tools/gpu/configure_cuda.sh /tmp/build-cuda > $R/cuda_build.log 2>&1; echo rc=$?
tail -5 $R/*.log
tar czf $OUT/golden.tgz -C $R .
ls -la $OUT
