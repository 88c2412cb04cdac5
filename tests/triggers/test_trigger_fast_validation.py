"""The compiled payload check agrees with the node-by-node check on mutated samples."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_actions.triggers import TRIGGER_IDS, get_trigger
from jupyter_actions.triggers._schema import _Mismatch, compile_check

REPLACEMENTS = [None, 0, 1.5, float("inf"), True, "text", [], {}, ["x"], {"k": "v"}]


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, prefix + (index,))


def slow_fits(schema, payload) -> bool:
    try:
        schema.check(payload)
    except _Mismatch:
        return False
    return True


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(trigger_id=st.sampled_from(TRIGGER_IDS), data=st.data())
def test_compiled_check_matches_the_slow_check(trigger_id, data):
    trigger = get_trigger(trigger_id)
    payload = trigger.sample_payload()
    all_paths = [p for p in paths(payload) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(all_paths))
        parent = payload
        try:
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict) and data.draw(st.booleans()):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
        except (KeyError, IndexError, TypeError):
            continue
    assert compile_check(trigger.schema)(payload) == slow_fits(trigger.schema, payload)
