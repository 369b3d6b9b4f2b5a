"""A secret file is judged by who can read it: the guide's root:root 0600, or stricter."""

from __future__ import annotations

import pytest

from dovecheck.hostfacts import FileStat


def _file(owner: str, group: str, mode: int, via_link: bool = False) -> FileStat:
    return FileStat("/etc/x.key", owner, group, mode, 0.0, "regular file", via_link)


@pytest.mark.parametrize("mode", [0o600, 0o400, 0o200, 0o000])
def test_the_guides_mode_or_stricter_is_root_only(mode):
    assert _file("root", "root", mode).is_root_only()


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o700, 0o4600, 0o1600, 0o660])
def test_a_bit_beyond_0600_is_a_finding(mode):
    finding = _file("root", "root", mode)
    assert not finding.is_root_only()
    assert f"mode {mode:04o}" in finding.root_only_finding()


@pytest.mark.parametrize("owner,group", [("dovecot", "root"), ("root", "dovecot")])
def test_an_owner_or_group_other_than_root_is_a_finding(owner, group):
    assert not _file(owner, group, 0o600).is_root_only()


def test_a_followed_link_says_so():
    assert "(a symbolic link, followed)" in _file("root", "root", 0o600, True).describe()
