"""llm-pool Python SDK.

`pb` is the generated protobuf module of `vvtv.llmpool.v1` (Query, Answer,
HealthResponse, ...). The generated tree under `gen/` has no `__init__.py`
files: it is imported as implicit namespace packages, so regenerating it with
buf's `clean: true` loses nothing.
"""

from llmpool.gen.vvtv.llmpool.v1 import llmpool_pb2 as pb

__all__ = ["pb"]
