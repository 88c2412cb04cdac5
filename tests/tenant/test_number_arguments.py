"""Version numbers, limits and offsets a user gives: out of range is one line, never an overflow
in the database driver."""

from __future__ import annotations

import pytest

from jupyter_actions import InvalidInputError, VersionNotFound
from tests.conftest import POST_LOGIN_CODE


@pytest.fixture
def flow(tenant):
    tenant.save_draft("a", "post-login", POST_LOGIN_CODE, deploy=True)
    tenant.bind("post-login", ["a"])
    return tenant


@pytest.mark.parametrize("number", [10**20, 2**31, 0, -1])
def test_a_version_number_no_version_can_have_is_not_found(flow, number):
    for call in (
        lambda: flow.test("a", version=number),
        lambda: flow.rollback("a", number),
        lambda: flow.get_version("a", number),
        lambda: flow.diff("a", number),
    ):
        with pytest.raises(
            VersionNotFound, match=f"action a has no version {number}: version numbers run from 1 to 2147483647"
        ):
            call()
    assert [v.number for v in flow.versions("a")] == [1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, "limit must be a whole number from 1 to 2147483647, not 0"),
        ({"limit": 10**20}, "limit must be a whole number from 1 to 2147483647, not 100000000000000000000"),
        ({"offset": -1}, "offset must be a whole number from 0 to 2147483647, not -1"),
        ({"offset": 2**70}, "offset must be a whole number from 0"),
    ],
)
def test_a_limit_or_offset_out_of_range(flow, kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        flow.executions(**kwargs)
