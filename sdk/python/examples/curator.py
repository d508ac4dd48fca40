"""Curator hook: pick the best of several candidates (judge), then write its metadata (enrich_metadata).

    .venv/bin/python sdk/python/examples/curator.py

Reads LLMPOOL_URL (default http://127.0.0.1:7070) and, for a pool with auth, LLMPOOL_KEY_ID and
LLMPOOL_SECRET (or LLMPOOL_TOKEN). Uses the async client: both candidates' metadata are written at once.
"""

import asyncio
import json
import sys

import llmpool

CANDIDATES = [
    {"id": "v1", "title": "Rain on a tin roof, 3 h", "notes": "steady, no music"},
    {"id": "v2", "title": "Night drive synthwave mix", "notes": "neon, 90 bpm"},
]


async def main() -> None:
    async with llmpool.AsyncClient() as client:
        verdict = await client.infer(
            "judge",
            input={"criterion": "calm background for a late-night stream", "candidates": CANDIDATES},
            project_id="curator",
        )
        print("verdict:", json.dumps(json.loads(verdict.output), ensure_ascii=False))

        answers = await asyncio.gather(
            *(client.infer("enrich_metadata", input=c, project_id="curator") for c in CANDIDATES)
        )
        for candidate, answer in zip(CANDIDATES, answers):
            print(f"metadata {candidate['id']}:", json.dumps(json.loads(answer.output), ensure_ascii=False))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except llmpool.LlmPoolError as error:
        sys.exit(f"curator: {error}")
