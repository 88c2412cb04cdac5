"""Every usage error is one line (IPython's UsageError, no traceback)."""

from __future__ import annotations

import pytest

from .conftest import CODE


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("%action", "%action: the following arguments are required: SUBCOMMAND"),
        ("%action frobnicate", "%action: argument SUBCOMMAND: invalid choice: 'frobnicate'"),
        ("%action test", "%action test: the following arguments are required: name"),
        ("%action test greet --colour red", "%action test: unrecognized arguments: --colour red"),
        ("%action test greet --version x", "%action test: argument --version: invalid int value: 'x'"),
        ("%action diff greet 1 latest", "'latest' is not a version"),
        ("%action test 'greet", "%action: cannot split the line: No closing quotation"),
        ("%action deps", "%action deps: the following arguments are required: SUBCOMMAND"),
        ("%action test nobody", "action 'nobody' does not exist"),
        ("%action test greet --payload missing", "--payload missing: there is no variable or file of that name"),
        ("%action deploy nobody", "action 'nobody' does not exist"),
        ("%action flow post-signup", "unknown trigger 'post-signup'"),
        ("%action run post-login", "the post-login flow has no bound actions"),
        ("%action logs 1234", "execution '1234' does not exist"),
        ("%action new --template nope", "unknown template 'nope'"),
        ("%action new", "%action new: the following arguments are required: --template"),
        ("%%action greet\n" + CODE, "the following arguments are required: --trigger"),
        ("%%action greet --trigger post-signup\n" + CODE, "unknown trigger 'post-signup'"),
        ("%%action Greet! --trigger post-login\n" + CODE, "invalid action name 'Greet!'"),
    ],
)
def test_usage_errors_are_one_line(usage_error, line, expected) -> None:
    assert expected in usage_error(line)


def test_a_json_error_in_a_payload_variable_names_the_position(ip, usage_error, saved) -> None:
    ip.user_ns["payload"] = '{"user": '
    assert "--payload payload is not valid JSON: Expecting value at line 1, column 10" in usage_error(
        "%action test greet --payload payload"
    )
