"""YAML read safely, by libyaml's C parser where PyYAML was built with it.

The rule libraries (nine files, some 15,000 YAML nodes) are parsed whenever a bureau loads the
defaults, a release offers new vocabulary or an engine is built from the shipped files; PyYAML's
pure-Python parser spent about two seconds on them, the C parser (``CSafeLoader``, the same safe
subset: no Python objects) a tenth of that. Without libyaml the pure-Python ``SafeLoader`` reads
the same documents.
"""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python
