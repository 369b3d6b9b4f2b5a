"""A mail_location is per user when a path component names the user whole, in any of the
spellings Dovecot 2.3 expands to the same directory for one user."""

from __future__ import annotations

import pytest

from dovecheck.mailconf import MailLocation


@pytest.mark.parametrize(
    "path",
    [
        "/var/mail/%n/",
        "/var/mail/%n",
        "/var/mail/%Ln/",
        "/var/mail/%u/",
        "/var/mail/%d/%n/",
        "/var/mail/%1n/%n/",
        "/var/mail/%{username}/",
        "/var/mail/%L{user}/",
    ],
)
def test_a_directory_per_user(path):
    assert MailLocation("sdbox", path).per_user


@pytest.mark.parametrize(
    "path", ["/var/mail/", "/var/mail/%d/", "/var/mail/%1n/", "/var/mail/%Hn/", "/var/mail/%%n/"]
)
def test_a_directory_shared_by_users(path):
    """A domain, a first letter or a hash puts several users in one directory; %% is a
    literal percent sign."""
    assert not MailLocation("sdbox", path).per_user


def test_the_root_is_the_path_up_to_the_first_variable():
    assert MailLocation("sdbox", "/var/mail/%d/%Ln/").root == "/var/mail/"
