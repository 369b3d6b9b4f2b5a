"""YAML through libyaml's C loader where it is installed.

The pure-Python safe loader spends about half a second on a lab inventory of a hundred
hosts, and every pytest process (each xdist worker too) reads the inventory and the
catalog: on two cores that start-up is paid again per worker. The C loader accepts the
same safe subset and raises the same yaml.YAMLError (with problem_mark) on bad input.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)
