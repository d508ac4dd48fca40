"""R-SDK-4: the shared vectors in testdata/vectors decode and re-encode
identically in Python, as they do in TypeScript and Rust."""

import json
from pathlib import Path

import pytest
from google.protobuf import json_format

from llmpool import pb

# tests/ -> python/ -> sdk/ -> repository root
VECTORS = Path(__file__).resolve().parents[3] / "testdata" / "vectors"

# The file name prefix says which message a vector holds.
MESSAGE_FOR_PREFIX = {
    "query": pb.Query,
    "answer": pb.Answer,
    "health": pb.HealthResponse,
}

NAMES = sorted(p.name.removesuffix(".binpb") for p in VECTORS.glob("*.binpb"))


def load(name):
    message_type = MESSAGE_FOR_PREFIX[name.split("-", 1)[0]]
    binary = (VECTORS / f"{name}.binpb").read_bytes()
    text = (VECTORS / f"{name}.json").read_text(encoding="utf-8")
    return message_type, binary, text


def test_covers_at_least_two_query_and_two_answer_vectors():
    assert sum(n.startswith("query-") for n in NAMES) >= 2
    assert sum(n.startswith("answer-") for n in NAMES) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_binary_decodes_and_reencodes_byte_for_byte(name):
    message_type, binary, _ = load(name)
    # deterministic=True sorts map keys (Query.meta, Struct fields), which is
    # the order the vectors were written in.
    assert message_type.FromString(binary).SerializeToString(deterministic=True) == binary


@pytest.mark.parametrize("name", NAMES)
def test_json_parses_to_the_same_message_as_the_binary(name):
    message_type, binary, text = load(name)
    from_json = json_format.Parse(text, message_type())
    assert from_json.SerializeToString(deterministic=True) == binary


@pytest.mark.parametrize("name", NAMES)
def test_binary_prints_as_the_json_vector(name):
    message_type, binary, text = load(name)
    # Compared as Python objects: key order and 1 vs 1.0 do not matter.
    assert json_format.MessageToDict(message_type.FromString(binary)) == json.loads(text)
