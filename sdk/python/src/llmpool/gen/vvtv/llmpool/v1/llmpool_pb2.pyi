from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Task(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_UNSPECIFIED: _ClassVar[Task]
    TASK_EXPAND_QUERIES: _ClassVar[Task]
    TASK_SITE_TACTICS: _ClassVar[Task]
    TASK_RERANK_CANDIDATES: _ClassVar[Task]
    TASK_JUDGE: _ClassVar[Task]
    TASK_RECOVERY_PLAN: _ClassVar[Task]
    TASK_ENRICH_METADATA: _ClassVar[Task]

class Strategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STRATEGY_UNSPECIFIED: _ClassVar[Strategy]
    STRATEGY_FASTEST: _ClassVar[Strategy]
    STRATEGY_VOTING: _ClassVar[Strategy]
    STRATEGY_CONSENSUS: _ClassVar[Strategy]
    STRATEGY_WEIGHTED: _ClassVar[Strategy]
    STRATEGY_JUDGE: _ClassVar[Strategy]

class OutputKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTPUT_KIND_UNSPECIFIED: _ClassVar[OutputKind]
    OUTPUT_KIND_TEXT: _ClassVar[OutputKind]
    OUTPUT_KIND_JSON: _ClassVar[OutputKind]
    OUTPUT_KIND_JSON_SCHEMA: _ClassVar[OutputKind]

class CandidateStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CANDIDATE_STATUS_UNSPECIFIED: _ClassVar[CandidateStatus]
    CANDIDATE_STATUS_OK: _ClassVar[CandidateStatus]
    CANDIDATE_STATUS_ERROR: _ClassVar[CandidateStatus]
    CANDIDATE_STATUS_TIMEOUT: _ClassVar[CandidateStatus]
    CANDIDATE_STATUS_CANCELLED: _ClassVar[CandidateStatus]
    CANDIDATE_STATUS_INVALID: _ClassVar[CandidateStatus]
    CANDIDATE_STATUS_BREAKER_OPEN: _ClassVar[CandidateStatus]
    CANDIDATE_STATUS_SATURATED: _ClassVar[CandidateStatus]

class FallbackReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FALLBACK_REASON_UNSPECIFIED: _ClassVar[FallbackReason]
    FALLBACK_REASON_JUDGE_LATE: _ClassVar[FallbackReason]
    FALLBACK_REASON_VERDICT_UNPARSABLE: _ClassVar[FallbackReason]
    FALLBACK_REASON_JUDGE_FAILED: _ClassVar[FallbackReason]
    FALLBACK_REASON_NO_QUORUM: _ClassVar[FallbackReason]
    FALLBACK_REASON_BELOW_THRESHOLD: _ClassVar[FallbackReason]
    FALLBACK_REASON_TOO_FEW_CANDIDATES: _ClassVar[FallbackReason]
    FALLBACK_REASON_ALL_CANDIDATES_INVALID: _ClassVar[FallbackReason]

class ProgressStage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROGRESS_STAGE_UNSPECIFIED: _ClassVar[ProgressStage]
    PROGRESS_STAGE_CANDIDATE: _ClassVar[ProgressStage]
    PROGRESS_STAGE_JUDGE: _ClassVar[ProgressStage]

class ServingStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVING_STATUS_UNSPECIFIED: _ClassVar[ServingStatus]
    SERVING_STATUS_SERVING: _ClassVar[ServingStatus]
    SERVING_STATUS_NOT_SERVING: _ClassVar[ServingStatus]

class ProviderState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROVIDER_STATE_UNSPECIFIED: _ClassVar[ProviderState]
    PROVIDER_STATE_HEALTHY: _ClassVar[ProviderState]
    PROVIDER_STATE_DEGRADED: _ClassVar[ProviderState]
    PROVIDER_STATE_UNHEALTHY: _ClassVar[ProviderState]
TASK_UNSPECIFIED: Task
TASK_EXPAND_QUERIES: Task
TASK_SITE_TACTICS: Task
TASK_RERANK_CANDIDATES: Task
TASK_JUDGE: Task
TASK_RECOVERY_PLAN: Task
TASK_ENRICH_METADATA: Task
STRATEGY_UNSPECIFIED: Strategy
STRATEGY_FASTEST: Strategy
STRATEGY_VOTING: Strategy
STRATEGY_CONSENSUS: Strategy
STRATEGY_WEIGHTED: Strategy
STRATEGY_JUDGE: Strategy
OUTPUT_KIND_UNSPECIFIED: OutputKind
OUTPUT_KIND_TEXT: OutputKind
OUTPUT_KIND_JSON: OutputKind
OUTPUT_KIND_JSON_SCHEMA: OutputKind
CANDIDATE_STATUS_UNSPECIFIED: CandidateStatus
CANDIDATE_STATUS_OK: CandidateStatus
CANDIDATE_STATUS_ERROR: CandidateStatus
CANDIDATE_STATUS_TIMEOUT: CandidateStatus
CANDIDATE_STATUS_CANCELLED: CandidateStatus
CANDIDATE_STATUS_INVALID: CandidateStatus
CANDIDATE_STATUS_BREAKER_OPEN: CandidateStatus
CANDIDATE_STATUS_SATURATED: CandidateStatus
FALLBACK_REASON_UNSPECIFIED: FallbackReason
FALLBACK_REASON_JUDGE_LATE: FallbackReason
FALLBACK_REASON_VERDICT_UNPARSABLE: FallbackReason
FALLBACK_REASON_JUDGE_FAILED: FallbackReason
FALLBACK_REASON_NO_QUORUM: FallbackReason
FALLBACK_REASON_BELOW_THRESHOLD: FallbackReason
FALLBACK_REASON_TOO_FEW_CANDIDATES: FallbackReason
FALLBACK_REASON_ALL_CANDIDATES_INVALID: FallbackReason
PROGRESS_STAGE_UNSPECIFIED: ProgressStage
PROGRESS_STAGE_CANDIDATE: ProgressStage
PROGRESS_STAGE_JUDGE: ProgressStage
SERVING_STATUS_UNSPECIFIED: ServingStatus
SERVING_STATUS_SERVING: ServingStatus
SERVING_STATUS_NOT_SERVING: ServingStatus
PROVIDER_STATE_UNSPECIFIED: ProviderState
PROVIDER_STATE_HEALTHY: ProviderState
PROVIDER_STATE_DEGRADED: ProviderState
PROVIDER_STATE_UNHEALTHY: ProviderState

class OutputFormat(_message.Message):
    __slots__ = ("kind", "json_schema")
    KIND_FIELD_NUMBER: _ClassVar[int]
    JSON_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    kind: OutputKind
    json_schema: str
    def __init__(self, kind: _Optional[_Union[OutputKind, str]] = ..., json_schema: _Optional[str] = ...) -> None: ...

class Query(_message.Message):
    __slots__ = ("request_id", "tenant_id", "project_id", "task", "strategy", "prompt", "input", "max_tokens", "deadline_ms", "meta", "output")
    class MetaEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    MAX_TOKENS_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_MS_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    project_id: str
    task: Task
    strategy: Strategy
    prompt: str
    input: _struct_pb2.Struct
    max_tokens: int
    deadline_ms: int
    meta: _containers.ScalarMap[str, str]
    output: OutputFormat
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., project_id: _Optional[str] = ..., task: _Optional[_Union[Task, str]] = ..., strategy: _Optional[_Union[Strategy, str]] = ..., prompt: _Optional[str] = ..., input: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., max_tokens: _Optional[int] = ..., deadline_ms: _Optional[int] = ..., meta: _Optional[_Mapping[str, str]] = ..., output: _Optional[_Union[OutputFormat, _Mapping]] = ...) -> None: ...

class Answer(_message.Message):
    __slots__ = ("request_id", "tenant_id", "project_id", "task", "output", "output_kind", "winner_provider", "winner_model", "strategy_requested", "strategy_applied", "decision", "from_cache", "usage", "total_usage", "duration_ms")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_KIND_FIELD_NUMBER: _ClassVar[int]
    WINNER_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    WINNER_MODEL_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_APPLIED_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    FROM_CACHE_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_USAGE_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    project_id: str
    task: Task
    output: str
    output_kind: OutputKind
    winner_provider: str
    winner_model: str
    strategy_requested: Strategy
    strategy_applied: Strategy
    decision: EnsembleDecision
    from_cache: bool
    usage: Usage
    total_usage: Usage
    duration_ms: int
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., project_id: _Optional[str] = ..., task: _Optional[_Union[Task, str]] = ..., output: _Optional[str] = ..., output_kind: _Optional[_Union[OutputKind, str]] = ..., winner_provider: _Optional[str] = ..., winner_model: _Optional[str] = ..., strategy_requested: _Optional[_Union[Strategy, str]] = ..., strategy_applied: _Optional[_Union[Strategy, str]] = ..., decision: _Optional[_Union[EnsembleDecision, _Mapping]] = ..., from_cache: _Optional[bool] = ..., usage: _Optional[_Union[Usage, _Mapping]] = ..., total_usage: _Optional[_Union[Usage, _Mapping]] = ..., duration_ms: _Optional[int] = ...) -> None: ...

class Usage(_message.Message):
    __slots__ = ("prompt_tokens", "completion_tokens")
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    prompt_tokens: int
    completion_tokens: int
    def __init__(self, prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ...) -> None: ...

class Candidate(_message.Message):
    __slots__ = ("id", "provider", "model", "latency_ms", "status", "score", "error", "hedged", "usage")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    HEDGED_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    id: str
    provider: str
    model: str
    latency_ms: int
    status: CandidateStatus
    score: float
    error: str
    hedged: bool
    usage: Usage
    def __init__(self, id: _Optional[str] = ..., provider: _Optional[str] = ..., model: _Optional[str] = ..., latency_ms: _Optional[int] = ..., status: _Optional[_Union[CandidateStatus, str]] = ..., score: _Optional[float] = ..., error: _Optional[str] = ..., hedged: _Optional[bool] = ..., usage: _Optional[_Union[Usage, _Mapping]] = ...) -> None: ...

class FallbackStep(_message.Message):
    __slots__ = ("to", "reason", "detail")
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    to: Strategy
    reason: FallbackReason
    detail: str
    def __init__(self, to: _Optional[_Union[Strategy, str]] = ..., reason: _Optional[_Union[FallbackReason, str]] = ..., detail: _Optional[str] = ..., **kwargs) -> None: ...

class JudgeVerdict(_message.Message):
    __slots__ = ("provider", "model", "winner_id", "confidence", "reason", "latency_ms", "status")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    WINNER_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    provider: str
    model: str
    winner_id: str
    confidence: float
    reason: str
    latency_ms: int
    status: CandidateStatus
    def __init__(self, provider: _Optional[str] = ..., model: _Optional[str] = ..., winner_id: _Optional[str] = ..., confidence: _Optional[float] = ..., reason: _Optional[str] = ..., latency_ms: _Optional[int] = ..., status: _Optional[_Union[CandidateStatus, str]] = ...) -> None: ...

class EnsembleDecision(_message.Message):
    __slots__ = ("candidates", "winner_id", "fallbacks", "judge", "agreement", "hedges")
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    WINNER_ID_FIELD_NUMBER: _ClassVar[int]
    FALLBACKS_FIELD_NUMBER: _ClassVar[int]
    JUDGE_FIELD_NUMBER: _ClassVar[int]
    AGREEMENT_FIELD_NUMBER: _ClassVar[int]
    HEDGES_FIELD_NUMBER: _ClassVar[int]
    candidates: _containers.RepeatedCompositeFieldContainer[Candidate]
    winner_id: str
    fallbacks: _containers.RepeatedCompositeFieldContainer[FallbackStep]
    judge: JudgeVerdict
    agreement: float
    hedges: int
    def __init__(self, candidates: _Optional[_Iterable[_Union[Candidate, _Mapping]]] = ..., winner_id: _Optional[str] = ..., fallbacks: _Optional[_Iterable[_Union[FallbackStep, _Mapping]]] = ..., judge: _Optional[_Union[JudgeVerdict, _Mapping]] = ..., agreement: _Optional[float] = ..., hedges: _Optional[int] = ...) -> None: ...

class InferRequest(_message.Message):
    __slots__ = ("query",)
    QUERY_FIELD_NUMBER: _ClassVar[int]
    query: Query
    def __init__(self, query: _Optional[_Union[Query, _Mapping]] = ...) -> None: ...

class InferResponse(_message.Message):
    __slots__ = ("answer",)
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    answer: Answer
    def __init__(self, answer: _Optional[_Union[Answer, _Mapping]] = ...) -> None: ...

class InferStreamRequest(_message.Message):
    __slots__ = ("query",)
    QUERY_FIELD_NUMBER: _ClassVar[int]
    query: Query
    def __init__(self, query: _Optional[_Union[Query, _Mapping]] = ...) -> None: ...

class InferStreamResponse(_message.Message):
    __slots__ = ("delta", "answer", "progress")
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    delta: TextDelta
    answer: Answer
    progress: StreamProgress
    def __init__(self, delta: _Optional[_Union[TextDelta, _Mapping]] = ..., answer: _Optional[_Union[Answer, _Mapping]] = ..., progress: _Optional[_Union[StreamProgress, _Mapping]] = ...) -> None: ...

class StreamProgress(_message.Message):
    __slots__ = ("stage", "provider", "status", "latency_ms")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    stage: ProgressStage
    provider: str
    status: CandidateStatus
    latency_ms: int
    def __init__(self, stage: _Optional[_Union[ProgressStage, str]] = ..., provider: _Optional[str] = ..., status: _Optional[_Union[CandidateStatus, str]] = ..., latency_ms: _Optional[int] = ...) -> None: ...

class TextDelta(_message.Message):
    __slots__ = ("provider", "text")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    provider: str
    text: str
    def __init__(self, provider: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class HealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ProviderHealth(_message.Message):
    __slots__ = ("name", "driver", "model", "state", "last_error", "updated_unix_ms")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DRIVER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    UPDATED_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    name: str
    driver: str
    model: str
    state: ProviderState
    last_error: str
    updated_unix_ms: int
    def __init__(self, name: _Optional[str] = ..., driver: _Optional[str] = ..., model: _Optional[str] = ..., state: _Optional[_Union[ProviderState, str]] = ..., last_error: _Optional[str] = ..., updated_unix_ms: _Optional[int] = ...) -> None: ...

class HealthResponse(_message.Message):
    __slots__ = ("status", "providers", "config_version")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    CONFIG_VERSION_FIELD_NUMBER: _ClassVar[int]
    status: ServingStatus
    providers: _containers.RepeatedCompositeFieldContainer[ProviderHealth]
    config_version: str
    def __init__(self, status: _Optional[_Union[ServingStatus, str]] = ..., providers: _Optional[_Iterable[_Union[ProviderHealth, _Mapping]]] = ..., config_version: _Optional[str] = ...) -> None: ...

class ErrorDetail(_message.Message):
    __slots__ = ("code", "field", "request_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    field: str
    request_id: str
    def __init__(self, code: _Optional[str] = ..., field: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...
