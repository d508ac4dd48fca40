#!/usr/bin/env python3
"""Smoke-checks a running engine started by tools/engines/*.sh and prints measured timings.

usage: verify.py ollama|llama-server PORT NAME

Checks (exit 1 on the first failure, 0 when all pass):
  ollama:        /api/tags lists NAME; /api/generate (stream false, num_predict 8, temperature 0, seed 1) ends with
                 done_reason "length" and eval_count, twice identically; `format` with a JSON schema gives
                 parseable JSON; /api/ps shows NAME resident; /v1/chat/completions answers with usage.
  llama-server:  /health; /v1/models lists NAME; /v1/chat/completions (max_tokens 8) ends with finish_reason
                 "length" and usage, twice identically with seed 1 + temperature 0; response_format json_schema
                 gives parseable JSON; /v1/completions answers.
Then one 64-token generation to report tokens/s.
"""
import json
import sys
import time
import urllib.request

PROMPT = "Write a long story about a dragon who lives in a castle."
SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string", "maxLength": 24}, "country": {"type": "string", "maxLength": 24}},
    "required": ["city", "country"],
}


def call(port, path, body=None, timeout=300):
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=timeout) as r:
        data = r.read()
    return json.loads(data), (time.monotonic() - t0) * 1000


def check(cond, what, detail=""):
    print(("ok   " if cond else "FAIL ") + what + (f"  [{detail}]" if detail else ""))
    if not cond:
        sys.exit(1)


def parse_json(s):
    try:
        return json.loads(s)
    except (TypeError, ValueError):
        return None


def verify_ollama(port, name):
    tags, _ = call(port, "/api/tags")
    names = [m["name"] for m in tags.get("models", [])]
    check(name in names or f"{name}:latest" in names, "/api/tags lists the model", ", ".join(names))
    body = {"model": name, "prompt": PROMPT, "stream": False,
            "options": {"num_predict": 8, "temperature": 0, "seed": 1}}
    a, ms_a = call(port, "/api/generate", body)
    b, ms_b = call(port, "/api/generate", body)
    check(a.get("done_reason") == "length" and a.get("eval_count", 0) > 0,
          "/api/generate num_predict 8 -> done_reason length + eval_count",
          f"done_reason={a.get('done_reason')} eval_count={a.get('eval_count')} "
          f"prompt_eval_count={a.get('prompt_eval_count')} {ms_a:.0f} ms")
    check(a["response"] == b["response"], "same seed + temperature 0 repeats exactly", repr(a["response"]))
    j, ms = call(port, "/api/generate", {
        "model": name, "prompt": "What is the capital of France? Answer in JSON.", "stream": False,
        "format": SCHEMA, "options": {"num_predict": 128, "temperature": 0, "seed": 1}})
    obj = parse_json(j.get("response"))
    check(isinstance(obj, dict) and all(k in obj for k in SCHEMA["required"]),
          "format=<JSON schema> gives parseable JSON with the required keys", f"{j.get('response')!r} {ms:.0f} ms")
    ps, _ = call(port, "/api/ps")
    resident = [m["name"] for m in ps.get("models", [])]
    check(name in resident or f"{name}:latest" in resident, "/api/ps shows it resident", ", ".join(resident))
    c, ms = call(port, "/v1/chat/completions", {
        "model": name, "messages": [{"role": "user", "content": PROMPT}],
        "max_tokens": 8, "temperature": 0, "seed": 1})
    check(c["choices"][0]["finish_reason"] == "length" and c.get("usage", {}).get("completion_tokens", 0) > 0,
          "/v1/chat/completions max_tokens 8 -> finish_reason length + usage", f"{c.get('usage')} {ms:.0f} ms")
    s, ms = call(port, "/api/generate", {"model": name, "prompt": PROMPT, "stream": False,
                                         "options": {"num_predict": 64, "temperature": 0, "seed": 1}})
    tps = s["eval_count"] / (s["eval_duration"] / 1e9)
    pps = s["prompt_eval_count"] / max(s["prompt_eval_duration"] / 1e9, 1e-9)
    print(f"speed: {s['eval_count']} tokens generated at {tps:.1f} tok/s; prompt {s['prompt_eval_count']} tokens at "
          f"{pps:.1f} tok/s; request {ms:.0f} ms")


def verify_llama_server(port, name):
    h, _ = call(port, "/health")
    check(h.get("status") == "ok", "/health ok", json.dumps(h))
    models, _ = call(port, "/v1/models")
    ids = [m["id"] for m in models.get("data", [])]
    check(name in ids, "/v1/models lists the model", ", ".join(ids))
    body = {"model": name, "messages": [{"role": "user", "content": PROMPT}],
            "max_tokens": 8, "temperature": 0, "seed": 1}
    a, ms_a = call(port, "/v1/chat/completions", body)
    b, _ = call(port, "/v1/chat/completions", body)
    check(a["choices"][0]["finish_reason"] == "length" and a.get("usage", {}).get("completion_tokens", 0) > 0,
          "/v1/chat/completions max_tokens 8 -> finish_reason length + usage", f"{a.get('usage')} {ms_a:.0f} ms")
    check(a["choices"][0]["message"]["content"] == b["choices"][0]["message"]["content"],
          "same seed + temperature 0 repeats exactly", repr(a["choices"][0]["message"]["content"]))
    j, ms = call(port, "/v1/chat/completions", {
        "model": name, "messages": [{"role": "user", "content": "What is the capital of France? Answer in JSON."}],
        "max_tokens": 128, "temperature": 0, "seed": 1,
        "response_format": {"type": "json_schema", "json_schema": {"name": "capital", "strict": True, "schema": SCHEMA}}})
    content = j["choices"][0]["message"]["content"]
    obj = parse_json(content)
    check(isinstance(obj, dict) and all(k in obj for k in SCHEMA["required"]),
          "response_format json_schema gives parseable JSON with the required keys", f"{content!r} {ms:.0f} ms")
    c, ms = call(port, "/v1/completions", {"model": name, "prompt": "Once upon a time", "max_tokens": 8,
                                           "temperature": 0, "seed": 1})
    check(c["choices"][0]["finish_reason"] == "length" and c.get("usage", {}).get("completion_tokens", 0) > 0,
          "/v1/completions max_tokens 8 -> finish_reason length + usage", f"{c['choices'][0]['text']!r} {ms:.0f} ms")
    s, ms = call(port, "/v1/chat/completions", dict(body, max_tokens=64))
    t = s.get("timings", {})
    print(f"speed: {t.get('predicted_n')} tokens generated at {t.get('predicted_per_second', 0):.1f} tok/s; prompt "
          f"{t.get('prompt_n')} tokens at {t.get('prompt_per_second', 0):.1f} tok/s; request {ms:.0f} ms")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("ollama", "llama-server"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    engine, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    (verify_ollama if engine == "ollama" else verify_llama_server)(port, name)


if __name__ == "__main__":
    main()
