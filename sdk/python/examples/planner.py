"""Planner hook: widen a search (expand_queries), then rank what the search found (rerank_candidates).

    .venv/bin/python sdk/python/examples/planner.py "cinematic lounge, ambient slow burn"

Reads LLMPOOL_URL (default http://127.0.0.1:7070) and, for a pool with auth, LLMPOOL_KEY_ID and
LLMPOOL_SECRET (or LLMPOOL_TOKEN). LLMPOOL_BACKEND=local with LLMPOOL_MODEL talks to an engine directly.
"""

import json
import sys

import llmpool


def main(seed: str) -> None:
    with llmpool.Client() as client:
        expanded = client.infer("expand_queries", seed, input={"constraints": {"max_terms": 8}}, project_id="planner")
        terms = json.loads(expanded.output)
        print("terms:", json.dumps(terms, ensure_ascii=False))

        # What a search for those terms might return: here, one candidate per term.
        found = [f"{term} (clip {i})" for i, term in enumerate(terms["must_include"] + terms["optional"], 1)][:8]
        ranked = client.infer(
            "rerank_candidates",
            "rank these for tonight's slot",
            input={"slot": "22:00 lounge", "candidates": found or ["nothing found"]},
            project_id="planner",
            deadline_ms=1500,
        )
        print("ranking:", json.dumps(json.loads(ranked.output), ensure_ascii=False))
        print(f"answered by {ranked.winner_model} in {ranked.duration_ms} ms")


if __name__ == "__main__":
    try:
        main(" ".join(sys.argv[1:]) or "cinematic lounge, ambient slow burn")
    except llmpool.LlmPoolError as error:
        sys.exit(f"planner: {error}")
