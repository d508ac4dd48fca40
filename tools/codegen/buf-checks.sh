#!/usr/bin/env bash
# Lints and formats the proto, and checks it against the committed baseline
# image so a wire- or JSON-incompatible change fails. After an intended,
# compatible change, refresh the baseline with: npm run proto:baseline
set -euo pipefail
cd "$(dirname "$0")/../.."
buf=node_modules/.bin/buf
"$buf" lint
"$buf" format --diff --exit-code
"$buf" breaking --against proto/baseline/llmpool-v1.binpb
echo "buf: lint, format and breaking checks pass"
