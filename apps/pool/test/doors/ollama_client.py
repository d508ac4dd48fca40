"""R-API-7: the official `ollama` Python package, unmodified, against the pool's Ollama-compatible door.

Run by python-clients.spec.ts as `python ollama_client.py OLLAMA_URL KEY`; prints one JSON object of
what the client saw, which the spec checks."""

import json
import sys

import ollama

host, key = sys.argv[1:3]
client = ollama.Client(host=host, headers={"Authorization": f"Bearer {key}"})
seen = {}

seen["models"] = [model.model for model in client.list().models]

chat = client.chat(model="pool/expand_queries", messages=[{"role": "user", "content": "late night jazz"}])
seen["chat"] = {"content": chat.message.content, "done": chat.done, "eval_count": chat.eval_count}

seen["chat_stream"] = [
    part.message.content
    for part in client.chat(model="pool/expand_queries", messages=[{"role": "user", "content": "late night jazz"}], stream=True)
]

generated = client.generate(model="pool/enrich_metadata", prompt="Harbor at dawn", system="be brief")
seen["generate"] = {"response": generated.response, "done_reason": generated.done_reason}
seen["generate_stream"] = [
    part.response for part in client.generate(model="pool/enrich_metadata", prompt="Harbor at dawn", system="be brief", stream=True)
]

try:
    ollama.Client(host=host, headers={"Authorization": "Bearer sk-not-a-key"}).chat(
        model="pool/expand_queries", messages=[{"role": "user", "content": "x"}]
    )
    seen["auth"] = "passed"
except ollama.ResponseError as error:
    seen["auth"] = {"class": type(error).__name__, "status": error.status_code, "error": error.error}

print(json.dumps(seen))
