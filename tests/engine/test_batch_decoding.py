"""Both batch paths (parallel, and ordered for flows that may use api.cache) decode every line
by the one policy (docs/input.md): same classification, same status, a refused line never
stops the batch."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_actions import Tenant
from jupyter_actions._code_flags import may_use_cache
from jupyter_actions.triggers import get_trigger

BODY = """
    user = event.user
    if user.email.endswith("@deny.example"):
        api.access.deny("denied")
    elif "boom" in user.user_metadata:
        raise ValueError("boom")
    api.id_token.set_custom_claim("https://x/metadata", user.user_metadata)
"""
LEAN = f"async def on_execute_post_login(event, api):{BODY}"
ORDERED = f'NOTE = "this mentions the cache, so its batches run in order"\n\nasync def on_execute_post_login(event, api):{BODY}'
SAMPLE = get_trigger("post-login").sample_payload()


@pytest.fixture(scope="module")
def tenants(tmp_path_factory):
    """Two tenants with the same flow: one runs batches in parallel, the other in order."""
    home = tmp_path_factory.mktemp("home")
    opened = []
    for name, code in (("lean", LEAN), ("ordered", ORDERED)):
        assert may_use_cache(code) == (name == "ordered")
        tenant = Tenant(name, home=home)
        tenant.save_draft("gate", "post-login", code, deploy=True)
        tenant.bind("post-login", ["gate"])
        opened.append(tenant)
    yield opened
    for tenant in opened:
        tenant.close()


def line(metadata_json: str, email: str = "someone@ok.example") -> bytes:
    event = {**SAMPLE, "user": {**SAMPLE["user"], "email": email, "user_metadata": "@M@"}}
    return json.dumps(event).replace('"@M@"', metadata_json).encode() + b"\n"


def classified(tenant: Tenant, lines: list[bytes]) -> dict[int, tuple]:
    found = {}
    for result in tenant.engine.run_lines("post-login", lines):
        if result.malformed:
            found[result.index] = ("malformed", result.malformed)
        elif result.invalid:
            found[result.index] = ("invalid", result.invalid)
        else:
            claims = json.loads(result.outcome_json).get("id_token_claims")
            found[result.index] = (result.status, claims)
    assert sorted(found) == list(range(len(lines)))
    return found


HOSTILE = {
    "nan": (line('{"x": NaN}'), "malformed", "$.user.user_metadata.x is NaN"),
    "infinity": (line('{"x": -Infinity}'), "malformed", "is -Infinity, which is not a JSON number"),
    "1e999": (line('{"x": 1e999}'), "malformed", "is 1e999, which a double cannot hold"),
    "lone surrogate": (line('{"x": "\\ud800"}'), "malformed", "holds a lone surrogate (\\ud800)"),
    "2,000 deep": (line("[" * 2000 + "]" * 2000), "malformed", "nested too deep"),
    "65 deep": (line('{"a":' * 63 + "1" + "}" * 63), "malformed", "nested too deep"),
    "5,000 digits": (line('{"x": ' + "7" * 5000 + "}"), "malformed", "integer of 5000 digits"),
    "2**64": (line('{"x": 18446744073709551616}'), "malformed", "integer of 20 digits"),
    "not UTF-8": (line('{"x": "\xff"}').replace("\xff".encode(), b"\xff"), "malformed", "not UTF-8: byte 0xff"),
    "byte order mark": (b"\xef\xbb\xbf" + line("{}"), "malformed", "byte order mark"),
    "null": (b"null\n", "malformed", "not a JSON object (it holds null)"),
    "array": (b"[1, 2]\n", "malformed", "not a JSON object (it holds an array)"),
    "broken": (b'{"user": \n', "malformed", "not valid JSON: Expecting value"),
    "wrong type": (json.dumps({**SAMPLE, "user": {**SAMPLE["user"], "email": 5}}).encode(), "invalid", "$.user.email"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_line_is_refused_alike_by_both_paths_and_the_batch_goes_on(tenants, case):
    hostile, kind, message = HOSTILE[case]
    lines = [line('{"n": 1}'), hostile, line('{"n": 2}', email="x@deny.example"), line('{"n": 9223372036854775807}')]
    before = [len(tenant.executions(limit=10_000)) for tenant in tenants]
    lean, ordered = (classified(tenant, lines) for tenant in tenants)
    assert lean == ordered
    assert lean[0] == ("allowed", {"https://x/metadata": {"n": 1}})
    assert lean[1][0] == kind and message in lean[1][1], lean[1]
    assert lean[2][0] == "denied"
    assert lean[3] == ("allowed", {"https://x/metadata": {"n": 9223372036854775807}})
    after = [len(tenant.executions(limit=10_000)) for tenant in tenants]
    assert after == [count + 3 for count in before]  # the refused line recorded nothing


# The fuzz: ~2,400 lines, each through both paths ------------------------------------------
def _spliced(raw: bytes, at: int, junk: bytes) -> bytes:
    """A line with a few bytes put in somewhere."""
    at %= len(raw)
    return raw[:at] + junk + raw[at:]


JSON_TEXT = st.recursive(
    st.sampled_from(
        [
            "null",
            "true",
            "1",
            "-0",
            "1.5e3",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "1e999",
            "NaN",
            "Infinity",
            '"ok"',
            '"\\ud800"',
            '"\\udc00\\ud800"',
            '"\\ud83d\\ude00"',
            '"é"',
            '"boom"',
            "12345678901234567890123",
            "0.1",
            '"\\u0000"',
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda items: "[" + ",".join(items) + "]")
        | st.lists(st.tuples(st.sampled_from(['"a"', '"b"', '"boom"', '"\\ud800"']), inner), max_size=3).map(
            lambda pairs: "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}"
        )
    ),
    max_leaves=8,
)
LINES = st.one_of(
    JSON_TEXT.map(lambda text: line("{" + f'"v":{text}' + "}")),
    JSON_TEXT.map(lambda text: line("{" + f'"v":{text}' + "}", email="a@deny.example")),
    st.integers(min_value=60, max_value=2100).map(lambda depth: line("[" * depth + "]" * depth)),
    st.builds(
        lambda text, at, junk: _spliced(line("{" + f'"v":{text}' + "}"), at, junk),
        JSON_TEXT,
        st.integers(0, 8000),
        st.binary(min_size=1, max_size=3),
    ),
    JSON_TEXT.map(lambda text: text.encode() + b"\n"),
)


@pytest.mark.slow
@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(lines=st.lists(LINES, min_size=40, max_size=40))
def test_fuzzed_lines_get_the_same_verdict_and_status_from_both_paths(tenants, lines):
    lean, ordered = (classified(tenant, lines) for tenant in tenants)
    assert lean == ordered
