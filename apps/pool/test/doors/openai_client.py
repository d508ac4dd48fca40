"""R-API-7: the official `openai` Python package, unmodified, against the pool's OpenAI door.

Run by python-clients.spec.ts as `python openai_client.py BASE_URL KEY TIGHT_KEY`; prints one JSON
object of what the client saw, which the spec checks."""

import json
import sys

import openai

base_url, key, tight_key = sys.argv[1:4]
client = openai.OpenAI(base_url=f"{base_url}/v1", api_key=key, max_retries=0)
seen = {}

completion = client.chat.completions.create(
    model="pool/expand_queries", messages=[{"role": "user", "content": "late night jazz"}], max_tokens=32
)
seen["chat"] = {
    "content": completion.choices[0].message.content,
    "finish_reason": completion.choices[0].finish_reason,
    "completion_tokens": completion.usage.completion_tokens,
    # The extension field: pydantic keeps fields it does not know.
    "pool": completion.model_extra.get("pool"),
}

pieces, last_extra, usage = [], None, None
stream = client.chat.completions.create(
    model="pool/expand_queries",
    messages=[{"role": "user", "content": "late night jazz"}],
    stream=True,
    stream_options={"include_usage": True},
)
for chunk in stream:
    for choice in chunk.choices:
        if choice.delta.content:
            pieces.append(choice.delta.content)
    if chunk.model_extra.get("pool"):
        last_extra = chunk.model_extra["pool"]
    if chunk.usage:
        usage = chunk.usage.completion_tokens
seen["stream"] = {"pieces": pieces, "pool": last_extra, "completion_tokens": usage}

schema = {
    "type": "object",
    "properties": {"queries": {"type": "array", "items": {"type": "string"}}},
    "required": ["queries"],
    "additionalProperties": False,
}
structured = client.chat.completions.create(
    model="pool/expand_queries",
    messages=[{"role": "user", "content": "jazz"}],
    response_format={"type": "json_schema", "json_schema": {"name": "queries", "schema": schema, "strict": True}},
)
seen["json_schema"] = json.loads(structured.choices[0].message.content)

seen["models"] = [model.id for model in client.models.list()]

try:
    openai.OpenAI(base_url=f"{base_url}/v1", api_key="sk-not-a-key", max_retries=0).chat.completions.create(
        model="pool/expand_queries", messages=[{"role": "user", "content": "x"}]
    )
    seen["auth"] = "passed"
except openai.AuthenticationError as error:
    seen["auth"] = {"class": type(error).__name__, "status": error.status_code, "code": error.code, "type": error.type}

tight = openai.OpenAI(base_url=f"{base_url}/v1", api_key=tight_key, max_retries=0)
tight.chat.completions.create(model="pool/expand_queries", messages=[{"role": "user", "content": "x"}])
try:
    tight.chat.completions.create(model="pool/expand_queries", messages=[{"role": "user", "content": "x"}])
    seen["rate_limit"] = "passed"
except openai.RateLimitError as error:
    seen["rate_limit"] = {
        "class": type(error).__name__,
        "status": error.status_code,
        "code": error.code,
        "retry_after": error.response.headers.get("retry-after"),
    }

print(json.dumps(seen))
