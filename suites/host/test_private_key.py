"""1.1.2 step 1: the private key is root:root with mode 600 (or stricter).

The path is the one Dovecot uses (doveconf, globally and per protocol), not the
guide's example path.
"""

import pytest

from dovecheck.hostfacts import effective_values
from dovecheck.versions import require_23_settings


@pytest.mark.requirement("TLS-KEY-PERMS")
def test_private_key_is_root_owned_with_mode_600(facts, evidence):
    require_23_settings(facts.config, "ssl_key")
    values = effective_values(facts, "ssl_key", evidence)
    assert values, "ssl_key is not set"
    for value in values:
        assert value.startswith("<"), "ssl_key holds the key inline, not a file path"
        st = facts.stat(value[1:], evidence)
        assert st.is_root_only(), st.root_only_finding()
