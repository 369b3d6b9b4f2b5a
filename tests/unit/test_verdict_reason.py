"""The reason an auditor reads is the check's sentence, not pytest's introspection."""

from __future__ import annotations

from dovecheck.plugin.verdicts import _without_introspection


def test_a_checks_own_words_lose_pytests_explanation():
    message = (
        "AssertionError: port 143 accepted NULL-SHA256, a suite that encrypts nothing\n"
        "assert not True\n + where True = Handshake(ok=True, der=b'0\\x82')"
    )
    assert _without_introspection(message) == (
        "AssertionError: port 143 accepted NULL-SHA256, a suite that encrypts nothing"
    )


def test_a_multi_line_message_keeps_its_lines():
    message = "AssertionError: two partners differ\nserver1: a\nserver2: b\nassert 'a' == 'b'"
    assert _without_introspection(message) == (
        "AssertionError: two partners differ\nserver1: a\nserver2: b"
    )


def test_an_assertion_without_words_keeps_pytests_explanation():
    message = "AssertionError: assert 3 == 4\n + where 3 = len([1, 2, 3])"
    assert _without_introspection(message) == message
