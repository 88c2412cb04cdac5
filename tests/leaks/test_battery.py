"""The leak battery (issue #12): every channel an action can leak a secret through, in every
form, checked against every byte of the tenant directory, every CLI output, the magics'
text, HTML and widget state, and the executed notebooks with papermill's log.

The one place a secret value may appear is the outcome an application receives from a live
flow (``Tenant.run_flow``); each case first proves that its value got there, or was redacted
at its source, so that its absence everywhere else means something.
"""

from __future__ import annotations

import pytest

from .cases import CASE_IDS
from .scenario import Evidence
from .views import GROUPS
from .witness import used

pytestmark = pytest.mark.slow  # the battery's scenario (every view of every channel) is built once, in about 100 s


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_the_secret_went_through_its_channel(evidence: Evidence, case_id: str) -> None:
    assert used(evidence.case(case_id), evidence)


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_no_view_shows_the_secret(evidence: Evidence, case_id: str, group: str) -> None:
    assert evidence.views.found[group], f"nothing was gathered for {group}"
    assert evidence.views.leaks(group, evidence.signatures(evidence.case(case_id))) == []
