"""R-API-6: InferStream through grpcio, the reference gRPC client (C core), against the assembled pool.

Run by streaming.spec.ts as `python grpcio_stream.py HOST:PORT BEARER_KEY`; prints one JSON object of
what the client saw, which the spec checks: a FASTEST stream, a stream past its deadline, and a
stream the client cancels after its first message."""

import json
import sys

import grpc

from llmpool.gen.vvtv.llmpool.v1 import llmpool_pb2 as pb

target, key = sys.argv[1:3]
channel = grpc.insecure_channel(target)
infer_stream = channel.unary_stream(
    "/vvtv.llmpool.v1.LlmPoolService/InferStream",
    request_serializer=pb.InferStreamRequest.SerializeToString,
    response_deserializer=pb.InferStreamResponse.FromString,
)
metadata = [("authorization", f"Bearer {key}")]


def request(task, prompt):
    return pb.InferStreamRequest(query=pb.Query(task=task, prompt=prompt))


def describe(message):
    case = message.WhichOneof("event")
    if case == "delta":
        return {"case": case, "provider": message.delta.provider, "text": message.delta.text}
    if case == "answer":
        return {"case": case, "output": message.answer.output, "winner": message.answer.winner_provider}
    return {"case": case}


seen = {"fastest": [describe(m) for m in infer_stream(request(pb.TASK_EXPAND_QUERIES, "grpcio stream"), metadata=metadata, timeout=10)]}

received = []
try:
    for message in infer_stream(request(pb.TASK_SITE_TACTICS, "grpcio deadline"), metadata=metadata, timeout=1.0):
        received.append(message.WhichOneof("event"))
    seen["deadline"] = {"code": "OK", "received": received}
except grpc.RpcError as error:
    seen["deadline"] = {"code": error.code().name, "received": received}

call = infer_stream(request(pb.TASK_SITE_TACTICS, "grpcio cancel"), metadata=metadata, timeout=10)
seen["cancel"] = {"first": describe(next(call))["case"]}
call.cancel()

print(json.dumps(seen))
