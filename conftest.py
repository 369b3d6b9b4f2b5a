"""dovecheck: `pytest --host server1` audits server1 against the guide's requirements."""

pytest_plugins = [
    "dovecheck.plugin.options",
    "dovecheck.plugin.catalog_gate",
    "dovecheck.plugin.report",
    "dovecheck.plugin.parallel",
    "dovecheck.plugin.progress",
    "dovecheck.plugin.gcfreeze",
    "dovecheck.plugin.terse",
    "fixtures.targets",
    "fixtures.evidence",
    "fixtures.wire",
    "fixtures.warmup",
    "fixtures.lmtp",
    "fixtures.replication",
    "fixtures.backends",
]
