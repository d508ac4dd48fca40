"""Retries against a fake server that fails on purpose: which failures are retried, how long
the client waits (backoff with jitter, or the server's Retry-After), and that every attempt is
signed again with a fresh nonce."""

import pytest

import llmpool
from fake_server import Reply, error

KEY = {"key_id": "vvtv-a", "secret": "k" * 40}


def client(server, sleeps, **retry):
    policy = llmpool.RetryPolicy(random=lambda: 0.5, **retry)
    return llmpool.Client(server.url, **KEY, retry=policy, sleep=sleeps.append)


def test_unavailable_is_retried_with_exponential_backoff_and_jitter_then_answers(fake_server):
    fake_server.script = [error(503, "unavailable"), error(503, "unavailable"), Reply()]
    sleeps = []
    answer = client(fake_server, sleeps).infer("expand_queries", "gatos")
    assert answer.winner_provider == "fake"
    # 0.25 s then 0.5 s, each shortened by 25 % x random() = 0.5 -> 12.5 %.
    assert sleeps == [0.25 * 0.875, 0.5 * 0.875]
    assert len(fake_server.requests) == 3


def test_every_attempt_carries_a_fresh_nonce_and_its_own_signature(fake_server):
    fake_server.script = [error(503, "unavailable"), error(503, "unavailable"), Reply()]
    client(fake_server, []).infer("expand_queries", "gatos")
    nonces = [r["headers"]["X-Nonce"] for r in fake_server.requests]
    signatures = [r["headers"]["X-Signature"] for r in fake_server.requests]
    assert len(set(nonces)) == 3 and len(set(signatures)) == 3


def test_retries_stop_after_max_retries_and_raise_the_last_error(fake_server):
    fake_server.script = [error(503, "unavailable")] * 4
    sleeps = []
    with pytest.raises(llmpool.UnavailableError):
        client(fake_server, sleeps, max_retries=2).infer("expand_queries", "gatos")
    assert len(fake_server.requests) == 3 and len(sleeps) == 2


def test_a_429_waits_exactly_the_retry_after_the_server_asked_for(fake_server):
    fake_server.script = [error(429, "resource_exhausted", retry_after="2"), Reply()]
    sleeps = []
    client(fake_server, sleeps).infer("expand_queries", "gatos")
    assert sleeps == [2.0]


def test_a_retry_after_beyond_max_retry_after_is_raised_at_once_with_its_value(fake_server):
    fake_server.script = [error(429, "resource_exhausted", retry_after="30")]
    sleeps = []
    with pytest.raises(llmpool.RateLimitError) as raised:
        client(fake_server, sleeps, max_retry_after=5).infer("expand_queries", "gatos")
    assert raised.value.retry_after == 30 and sleeps == []


def test_deadline_exceeded_is_retried_only_when_the_query_has_a_request_id(fake_server):
    fake_server.script = [error(504, "deadline_exceeded")]
    with pytest.raises(llmpool.DeadlineExceededError):
        client(fake_server, []).infer("expand_queries", "gatos")
    assert len(fake_server.requests) == 1

    fake_server.script = [error(504, "deadline_exceeded"), Reply()]
    client(fake_server, []).infer("expand_queries", "gatos", request_id="job-7")
    assert len(fake_server.requests) == 3


def test_a_dropped_connection_is_retried_only_when_the_query_has_a_request_id(fake_server):
    fake_server.script = [Reply(drop=True)]
    with pytest.raises(llmpool.APIConnectionError):
        client(fake_server, []).infer("expand_queries", "gatos")
    assert len(fake_server.requests) == 1

    fake_server.script = [Reply(drop=True), Reply()]
    assert client(fake_server, []).infer("expand_queries", "gatos", request_id="job-8").winner_provider == "fake"


@pytest.mark.parametrize(
    "status,code,error_class",
    [
        (400, "invalid_argument", llmpool.InvalidArgumentError),
        (401, "unauthenticated", llmpool.AuthenticationError),
        (403, "permission_denied", llmpool.PermissionDeniedError),
        (409, "conflict", llmpool.ConflictError),
        (413, "payload_too_large", llmpool.PayloadTooLargeError),
        (500, "internal", llmpool.InternalError),
    ],
)
def test_errors_that_waiting_cannot_fix_are_never_retried(fake_server, status, code, error_class):
    fake_server.script = [error(status, code)]
    with pytest.raises(error_class) as raised:
        client(fake_server, []).infer("expand_queries", "gatos", request_id="job-9")
    assert raised.value.status == status and len(fake_server.requests) == 1


def test_an_error_body_that_is_not_json_still_maps_by_status(fake_server):
    fake_server.script = [Reply(503, "not json at all")]
    fake_server.script[0].body = "oops"
    with pytest.raises(llmpool.UnavailableError):
        client(fake_server, [], max_retries=0).infer("expand_queries", "gatos")


@pytest.mark.anyio
async def test_the_async_client_retries_the_same_way(fake_server):
    fake_server.script = [error(503, "unavailable"), error(429, "resource_exhausted", retry_after="1"), Reply()]
    sleeps = []

    async def sleep(seconds):
        sleeps.append(seconds)

    policy = llmpool.RetryPolicy(random=lambda: 0.0)
    async with llmpool.AsyncClient(fake_server.url, **KEY, retry=policy, sleep=sleep) as client_:
        answer = await client_.infer("expand_queries", "gatos")
    assert answer.winner_provider == "fake" and sleeps == [0.25, 1.0]
