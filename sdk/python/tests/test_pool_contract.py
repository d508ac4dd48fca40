"""R-SDK-2 / R-SDK-4: Client and AsyncClient against the real pool (the pool CLI, HMAC and JWT
tenants, the mock engine): answers, typed errors, rate limits, deadlines, idempotent retries."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

import llmpool
from llmpool import pb


def client_for(test_pool, key="vvtv", **options):
    k = test_pool["keys"][key]
    return llmpool.Client(test_pool["pool_url"], key_id=k["key_id"], secret=k["secret"], **options)


class Sleeps(list):
    """A sleep that records what it was asked and then really sleeps."""

    def __call__(self, seconds):
        self.append(seconds)
        threading.Event().wait(seconds)


def engine_calls(test_pool):
    """How many generate calls the mock engine has seen (the tests of a module run one at a time)."""
    record = httpx.get(f"{test_pool['engine_url']}/__mock/record").json()
    return sum(1 for e in record["entries"] if e["route"] in ("/api/chat", "/api/generate") and e.get("prompt"))


def test_infer_signed_with_either_key_returns_a_schema_shaped_answer(test_pool):
    for key in ("vvtv", "vvtv_b"):
        with client_for(test_pool, key) as client:
            answer = client.infer("expand_queries", "jazz ao vivo", deadline_ms=2000)
        assert isinstance(answer, pb.Answer)
        assert answer.task == pb.TASK_EXPAND_QUERIES
        assert answer.winner_provider == "fast"
        assert answer.tenant_id == "vvtv" and answer.project_id == "planner"
        assert set(json.loads(answer.output)) >= {"must_include", "optional", "negatives"}


def test_structured_input_project_and_strategy_reach_the_pool(test_pool):
    with client_for(test_pool) as client:
        answer = client.infer(
            llmpool.pb.TASK_RERANK_CANDIDATES, input={"slot": "night", "candidates": ["a", "b"]},
            strategy="fastest", project_id="curator", meta={"hook": "tests"},
        )  # fmt: skip
    assert answer.project_id == "curator"
    assert answer.strategy_applied == pb.STRATEGY_FASTEST
    assert "ranking" in json.loads(answer.output)


def test_a_jwt_authenticates_and_binds_the_tokens_project(test_pool):
    with llmpool.Client(test_pool["pool_url"], token=test_pool["jwt"]) as client:
        assert client.infer("judge", "pick one").project_id == "curator"


def test_a_wrong_secret_is_an_authentication_error_and_is_not_retried(test_pool):
    sleeps = Sleeps()
    with llmpool.Client(test_pool["pool_url"], key_id="vvtv-a", secret="x" * 64, sleep=sleeps) as client:
        with pytest.raises(llmpool.AuthenticationError) as raised:
            client.infer("expand_queries", "gatos", request_id=f"auth-{uuid.uuid4()}")
    assert raised.value.status == 401 and raised.value.code == "unauthenticated"
    assert sleeps == []


def test_a_bad_argument_is_an_invalid_argument_error_naming_the_field(test_pool):
    with client_for(test_pool) as client:
        with pytest.raises(llmpool.InvalidArgumentError) as raised:
            client.infer("expand_queries", "gatos", deadline_ms=60_000)
    assert raised.value.status == 400
    assert raised.value.field == "deadline_ms"
    assert "max_deadline_ms" in raised.value.message


def test_another_tenants_query_is_permission_denied(test_pool):
    with client_for(test_pool) as client:
        with pytest.raises(llmpool.PermissionDeniedError):
            client.infer("expand_queries", "gatos", tenant_id="tight")


def test_over_the_rate_limit_a_rate_limit_error_carries_retry_after(test_pool):
    with client_for(test_pool, "tight", retry=llmpool.RetryPolicy(max_retries=0)) as client:
        errors = []
        for _ in range(3):  # one request per second: at most one of three back-to-back passes
            try:
                client.infer("expand_queries", "gatos")
            except llmpool.RateLimitError as error:
                errors.append(error)
    assert errors, "no 429 from a tenant allowed one request per second"
    assert all(e.status == 429 and e.retry_after == 1 for e in errors)


def test_a_429_is_retried_after_the_servers_retry_after_with_a_fresh_signature(test_pool):
    sleeps = Sleeps()
    with client_for(test_pool, "tight", sleep=sleeps) as client:
        client.infer("expand_queries", "gatos")
        client.infer("expand_queries", "gatos")  # refused once, then admitted after Retry-After
    assert 1.0 in sleeps


def test_a_deadline_the_engine_cannot_meet_is_deadline_exceeded_and_not_retried_without_request_id(test_pool):
    sleeps = Sleeps()
    with client_for(test_pool, sleep=sleeps) as client:
        with pytest.raises(llmpool.DeadlineExceededError) as raised:
            client.infer("site_tactics", "feira livre", deadline_ms=300)
    assert raised.value.status == 504
    assert sleeps == []


def test_a_lost_answer_is_retried_with_the_same_request_id_and_the_engine_runs_once(test_pool):
    """The first answer is lost on its way back (a proxy turns it into a 503): the retry is a new
    signed request with the same request_id, and the pool replays the first answer."""
    proxy = LosingProxy(test_pool["pool_url"])
    try:
        prompt = f"lost answer {uuid.uuid4()}"
        calls_before = engine_calls(test_pool)
        with client_for(test_pool, sleep=Sleeps()) as client:
            client._backend._url = httpx.URL(proxy.url).join("/v1/infer")
            answer = client.infer("expand_queries", prompt, request_id=f"lost-{uuid.uuid4()}")
        assert len(proxy.nonces) == 2 and proxy.nonces[0] != proxy.nonces[1]
        assert json.loads(answer.output) == json.loads(proxy.first_answer["output"])
        assert engine_calls(test_pool) == calls_before + 1
    finally:
        proxy.close()


@pytest.mark.anyio
async def test_the_async_client_answers_and_raises_the_same_typed_errors(test_pool):
    k = test_pool["keys"]["vvtv"]
    async with llmpool.AsyncClient(test_pool["pool_url"], key_id=k["key_id"], secret=k["secret"]) as client:
        answer = await client.infer("enrich_metadata", input={"title": "Lo-fi rain"}, project_id="curator")
        assert "tags" in json.loads(answer.output)
        with pytest.raises(llmpool.InvalidArgumentError) as raised:
            await client.infer("expand_queries", "gatos", max_tokens=100_000)
        assert raised.value.field == "max_tokens"


class LosingProxy:
    """Forwards requests to the pool; throws the first answer away and says 503 instead."""

    def __init__(self, target):
        self.nonces = []
        self.first_answer = None
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                owner.nonces.append(self.headers["x-nonce"])
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                upstream = httpx.post(target + self.path, content=body, headers=headers)
                if owner.first_answer is None:
                    owner.first_answer = upstream.json()
                    status, data = 503, json.dumps({"code": "unavailable", "message": "lost", "request_id": ""}).encode()
                else:
                    status, data = upstream.status_code, upstream.content
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()
