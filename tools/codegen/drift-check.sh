#!/usr/bin/env bash
# Fails when the committed stubs differ from what proto/ generates: it
# regenerates every language, then asks git whether anything under the
# generated folders changed or appeared (untracked files included).
set -euo pipefail
cd "$(dirname "$0")/../.."
generated=(libs/contract/src/gen sdk/ts/llmpool-client/src/gen sdk/python/src/llmpool/gen sdk/rust/llmpool_sdk/src/gen)
bash tools/codegen/generate.sh
drift=$(git status --porcelain --untracked-files=all -- "${generated[@]}")
if [ -n "$drift" ]; then
  echo "drift: the generated stubs do not match proto/. Run 'npm run generate' and commit the result:" >&2
  echo "$drift" >&2
  exit 1
fi
echo "no drift: generated stubs match proto/"
