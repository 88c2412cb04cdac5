from __future__ import annotations

import pytest

from jupyter_actions.deps import MAX_DEPENDENCIES, Pin, Requirement, check_count, parse_requirement
from jupyter_actions.errors import InvalidInputError, LimitExceeded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slack-sdk", Requirement("slack-sdk")),
        ("Slack_SDK", Requirement("slack-sdk")),
        ("zope.interface", Requirement("zope-interface")),
        ("slack-sdk==3.27.1", Requirement("slack-sdk", "3.27.1")),
        ("  PyJWT == 2.8.0 ", Requirement("pyjwt", "2.8.0")),
        ("x==1.0.0rc1", Requirement("x", "1.0.0rc1")),
        ("x==v1.0", Requirement("x", "1.0")),  # normalised as the index does
    ],
)
def test_parse_accepts_name_or_exact_version(text: str, expected: Requirement) -> None:
    assert parse_requirement(text) == expected


def test_requirement_and_pin_print_as_requirement_strings() -> None:
    assert str(Requirement("slack-sdk")) == "slack-sdk"
    assert str(Requirement("slack-sdk", "3.27.1")) == "slack-sdk==3.27.1"
    assert str(Pin("ja-hello", "2.0")) == "ja-hello==2.0"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "needs a package name"),
        ("   ", "needs a package name"),
        ("requests>=2", "version range"),
        ("requests~=2.31", "version range"),
        ("requests==2.*", "version range"),
        ("requests==2.31,!=2.31.1", "version range"),
        ("requests[socks]", "extras [socks]"),
        ('requests; python_version < "3.12"', "environment marker"),
        ("pkg @ https://example.com/pkg-1.0.tar.gz", "is a URL"),
        ("git+https://github.com/x/y", "cannot read"),
        ("slack sdk", "cannot read"),
        ("==1.0", "cannot read"),
        ("slack-sdk==", "cannot read"),
        ("-r requirements.txt", "cannot read"),
    ],
)
def test_parse_refuses_anything_else_with_one_line(text: str, complaint: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_requirement(text)
    message = str(raised.value)
    assert complaint in message
    assert "\n" not in message


def test_check_count_allows_the_limit_and_refuses_one_more() -> None:
    check_count(["p"] * MAX_DEPENDENCIES)
    with pytest.raises(LimitExceeded, match="at most 10 dependencies, got 11"):
        check_count(["p"] * (MAX_DEPENDENCIES + 1))
    with pytest.raises(LimitExceeded, match="at most 2 dependencies, got 3: remove 1"):
        check_count(["a", "b", "c"], limit=2)
