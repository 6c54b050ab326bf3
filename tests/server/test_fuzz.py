"""Schema-driven fuzzing of every endpoint from the server's /openapi.json (schemathesis):
valid and invalid inputs, a bounded number of examples per operation, over real HTTP.
No input may cause a 5xx, and every error carries a message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

EXAMPLES = 10
SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
CASES = []
for _path, _item in json.loads(SPEC.read_text())["paths"].items():
    for _method, _op in _item.items():
        CASES.append((_method.upper(), _path, GenerationMode.POSITIVE))
        if _op.get("parameters") or _op.get("requestBody"):  # else nothing can be invalid
            CASES.append((_method.upper(), _path, GenerationMode.NEGATIVE))


@pytest.fixture(scope="module")
def fuzz_schema(live):
    schema = schemathesis.openapi.from_url(f"{live.base_url}/openapi.json")
    schema.config.generation.update(deterministic=True, no_shrink=True, allow_x00=True,
                                    database="none")
    return schema


@pytest.fixture(scope="module")
def fuzz_token(live):
    return live.account("supervisor").headers["authorization"]


@pytest.mark.parametrize(("method", "path", "mode"), CASES,
                         ids=[f"{m} {p} {g.value}" for m, p, g in CASES])
@pytest.mark.slow
def test_no_input_causes_a_server_error(fuzz_schema, fuzz_token, live, method, path, mode):
    operation = fuzz_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        response = case.call(base_url=live.base_url, headers={"Authorization": fuzz_token},
                             timeout=30)
        assert response.status_code < 500, (method, case.formatted_path, case.query,
                                             response.text[:500])
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            body = response.json()
            message = body["message"] if isinstance(body, dict) else body[0]["description"]
            assert isinstance(message, str) and message

    run()
