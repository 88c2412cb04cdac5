"""Tenant settings: conversion, one-line refusals, the sandbox settings and their defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_actions.errors import InvalidInputError
from jupyter_actions.runtime.sandbox import landlock_abi
from jupyter_actions.store import schema, settings


@pytest.mark.parametrize(
    "key, raw, expected",
    [
        ("flow_timeout_s", "2.5", 2.5),
        ("worker_max_processes", "8", 8),
        ("worker_max_processes", 8.0, 8),
        ("sandbox", " Best-Effort ", "best-effort"),
        ("outbound_network", "deny", "deny"),
        ("outbound_network", " 443, 8443", "443,8443"),
        ("allow_native_dependencies", "yes", True),
    ],
)
def test_values_are_converted_and_normalised(key, raw, expected):
    assert settings.parse_value(key, raw) == expected


@pytest.mark.parametrize(
    "key, raw, message",
    [
        ("flow_timeout_s", "nan", "setting flow_timeout_s takes a finite number, not 'nan'"),
        ("flow_timeout_s", float("inf"), "setting flow_timeout_s takes a finite number, not inf"),
        ("worker_max_processes", "0", "setting worker_max_processes must be from 1 to 4,096, not '0'"),
        ("worker_max_processes", 2.5, "setting worker_max_processes takes a number, not 2.5"),
        ("worker_max_processes", True, "setting worker_max_processes takes a number, not True"),
        ("sandbox", "lax", "setting sandbox takes strict or best-effort, not 'lax'"),
        (
            "outbound_network",
            "80,http",
            "setting outbound_network must be open, deny or a comma list of TCP ports (1-65535), not '80,http'",
        ),
        (
            "outbound_network",
            "0",
            "setting outbound_network must be open, deny or a comma list of TCP ports (1-65535), not '0'",
        ),
    ],
)
def test_bad_values_are_refused_in_one_line(key, raw, message):
    with pytest.raises(InvalidInputError) as caught:
        settings.parse_value(key, raw)
    assert str(caught.value) == message


def test_sandbox_defaults():
    values = settings.defaults()
    assert values["sandbox"] == ("strict" if landlock_abi() else "best-effort")
    assert values["outbound_network"] == "open"
    assert values["worker_max_processes"] == 32


def test_configure_stores_the_normalised_value(tenant):
    assert tenant.configure("outbound_network", "443, 80") == "443,80"
    assert tenant.configure("sandbox", "best-effort") == "best-effort"
    assert tenant.settings["outbound_network"] == "443,80"
    assert tenant.settings["sandbox"] == "best-effort"
    with pytest.raises(InvalidInputError):
        tenant.configure("flow_timeout_s", "nan")


def test_an_invalid_stored_value_reads_as_the_default(tenant):
    with tenant.store.write() as conn:
        conn.execute(schema.settings.insert().values(key="flow_timeout_s", value=json.dumps(float("nan"))))
        conn.execute(schema.settings.insert().values(key="outbound_network", value=json.dumps("everything")))
    values = tenant.settings
    assert values["flow_timeout_s"] == 20.0
    assert values["outbound_network"] == "open"


NUMBERS = [key for key, setting in settings.SETTINGS.items() if setting.kind in (int, float)]


@pytest.mark.parametrize("key", NUMBERS)
def test_every_number_has_bounds_that_are_kept_and_documented(key):
    setting = settings.SETTINGS[key]
    low, high = setting.bounds
    assert settings.parse_value(key, str(high)) == high
    smallest = low + 0.001 if setting.kind is float else low
    assert settings.parse_value(key, str(smallest)) == smallest
    for outside in (high * 10, high + 1, low if setting.kind is float else low - 1, "1e300", "1e309", "inf", "nan"):
        with pytest.raises(InvalidInputError) as caught:
            settings.parse_value(key, outside)
        assert str(caught.value).startswith(f"setting {key} ") and "\n" not in str(caught.value)
    assert setting.range_text in settings.described(key)
    documented = (Path(__file__).parents[2] / "docs" / "lifecycle.md").read_text()
    assert f"`{key}` ({setting.range_text}" in documented


def test_a_huge_value_is_refused_in_a_short_line():
    with pytest.raises(InvalidInputError) as caught:
        settings.parse_value("max_versions", "9" * 5000)
    assert len(str(caught.value)) < 120


def test_settings_list_shows_the_bounds(cli):
    listed = cli("settings", "list")
    assert listed.status == 0
    for key in NUMBERS:
        assert settings.SETTINGS[key].range_text in listed.out
    assert "settings list" in cli("settings", "set", "--help").out
