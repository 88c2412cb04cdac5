"""``serve``'s own refusals, before it listens (its requests are tested in tests/server/)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("threads", ["0", "-3", "257"])
def test_serve_refuses_a_pool_size_out_of_range(refused, threads: str) -> None:
    assert refused("serve", "--port", "0", "--threads", threads) == (
        f"error: --threads is {threads}: give 1 to 256 (default: 4 per core)"
    )


def test_serve_refuses_a_certificate_without_its_key(refused, tmp_path) -> None:
    assert refused("serve", "--port", "0", "--certfile", str(tmp_path / "cert.pem")) == (
        "error: give both --certfile and --keyfile for HTTPS, or neither"
    )


def test_serve_help_names_the_pool_size(cli) -> None:
    shown = cli("serve", "--help")
    assert shown.status == 0 and "--threads N" in shown.out and "503 with Retry-After" in shown.out
