"""The Python API takes only plain JSON (docs/input.md): a payload dict with NaN, a key that is
not a string, an integer beyond 64 bits, nesting beyond 64 levels ... is refused with one
line (an ActionsError), before anything runs or is stored."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_actions import ActionsError, MalformedInputError, PayloadError
from jupyter_actions.triggers import get_trigger
from tests.conftest import POST_LOGIN_CODE

SAMPLE = get_trigger("post-login").sample_payload()
DEEP: dict = {}
_node = DEEP
for _ in range(70):
    _node["a"] = {}
    _node = _node["a"]

BAD = {
    "nan": ({"x": float("nan")}, "$.user.user_metadata.x is nan, which is not a JSON number"),
    "infinity": ({"x": [float("inf")]}, "$.user.user_metadata.x[0] is inf, which is not a JSON number"),
    "key not a string": ({1: "one"}, "$.user.user_metadata has the key 1, which is not a string"),
    "integer beyond 64 bits": ({"x": 2**64}, "$.user.user_metadata.x is an integer of 65 bits"),
    "lone surrogate": ({"x": "\ud800"}, "$.user.user_metadata.x holds a lone surrogate (\\ud800)"),
    "not JSON at all": (
        {"x": datetime.date(2025, 1, 1)},
        "$.user.user_metadata.x is a date, which is not a JSON value",
    ),
    "too deep": (DEEP, "is nested too deep: objects and arrays may nest 64 levels at most"),
    "too large": ({"x": "x" * 1_100_000}, "is too large: JSON input may be 1,048,576 bytes (1 MiB) at most"),
}


@pytest.fixture
def flow(tenant):
    tenant.save_draft("a", "post-login", POST_LOGIN_CODE, deploy=True)
    tenant.bind("post-login", ["a"])
    return tenant


def event_with(metadata: object) -> dict:
    return {**SAMPLE, "user": {**SAMPLE["user"], "user_metadata": metadata}}


def refused(tenant, call) -> str:
    before = len(tenant.executions(limit=10_000))
    with pytest.raises(MalformedInputError) as caught:
        call()
    assert len(tenant.executions(limit=10_000)) == before
    assert isinstance(caught.value, ActionsError) and "\n" not in str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize("case", sorted(BAD))
def test_test_refuses_a_payload_that_is_not_plain_json(flow, case):
    metadata, message = BAD[case]
    line = refused(flow, lambda: flow.test("a", event_with(metadata)))
    assert line.startswith("the post-login payload is ") and message in line


@pytest.mark.parametrize("case", sorted(BAD))
def test_run_flow_refuses_an_event_that_is_not_plain_json(flow, case):
    metadata, message = BAD[case]
    line = refused(flow, lambda: flow.run_flow("post-login", event_with(metadata)))
    assert line.startswith("the post-login event is ") and message in line


def test_only_test_takes_none_for_the_sample(flow):
    assert flow.test("a", None).outcome["status"] == "allowed"
    for event in (None, [SAMPLE], "{}"):
        assert "is not a JSON object" in refused(flow, lambda: flow.run_flow("post-login", event))  # noqa: B023


def test_a_batch_reports_each_refused_event_and_runs_the_others(flow):
    events = [SAMPLE, event_with({"x": float("nan")}), None, event_with({"x": 1}), {**SAMPLE, "user": 5}]
    results = dict(flow.run_flow_batch("post-login", events))
    assert sorted(results) == [0, 1, 2, 3, 4]
    assert results[0].outcome["status"] == results[3].outcome["status"] == "allowed"
    assert isinstance(results[1], MalformedInputError) and "is nan" in str(results[1])
    assert isinstance(results[2], MalformedInputError) and "it holds null" in str(results[2])
    assert isinstance(results[4], PayloadError) and not isinstance(results[4], MalformedInputError)
    assert len(flow.executions()) == 2


def test_a_saved_case_keeps_only_plain_json(flow):
    before = flow.test_cases("a")
    with pytest.raises(MalformedInputError, match="the test case's payload is not plain JSON"):
        flow.save_test_case("a", "nan", event_with({"x": float("nan")}), expected={"status": "allowed"})
    with pytest.raises(MalformedInputError, match="the test case's payload is not plain JSON"):
        flow.save_flow_test_case("post-login", "nan", event_with({"x": float("inf")}), expected={"status": "allowed"})
    assert flow.test_cases("a") == before and flow.flow_test_cases("post-login") == []


def test_a_continue_request_must_be_a_plain_object(tenant):
    tenant.save_draft(
        "terms",
        "post-login",
        """
async def on_execute_post_login(event, api):
    api.redirect.send_user_to("https://example.com/terms")

async def on_continue_post_login(event, api):
    pass
""",
        deploy=True,
    )
    tenant.bind("post-login", ["terms"])
    suspended = tenant.run_flow("post-login", SAMPLE)
    assert suspended.outcome["status"] == "suspended"
    for request, message in (([1], "it holds an array"), ({"query": {"state": float("nan")}}, "$.query.state is nan")):
        line = refused(tenant, lambda: tenant.continue_flow(suspended.id, request))  # noqa: B023
        assert line.startswith("the continue request (the new event.request) is ") and message in line
    assert tenant.execution(suspended.id).outcome["status"] == "suspended"


# The fuzz: 400 payloads through Tenant.test --------------------------------------------------
NASTY = (
    st.none()
    | st.booleans()
    | st.text(max_size=6)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.sampled_from(["\ud800", datetime.date(2025, 1, 1), (1, 2), b"bytes"])
)
METADATA = st.recursive(
    NASTY,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4) | st.integers(0, 3), inner, max_size=3)
    ),
    max_leaves=10,
)


@pytest.mark.slow
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=st.lists(METADATA, min_size=10, max_size=10))
def test_fuzzed_payloads_run_or_are_refused_in_one_line(flow, batch):
    before = len(flow.executions(limit=10_000))
    ran = 0
    for metadata in batch:
        try:
            execution = flow.test("a", event_with(metadata))
        except ActionsError as error:
            assert "\n" not in str(error)
        else:
            assert execution.outcome["status"] == "allowed", execution.outcome
            ran += 1
    assert len(flow.executions(limit=10_000)) == before + ran  # a refused payload recorded nothing
