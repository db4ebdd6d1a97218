"""Demo data: the default rule libraries, published for the demo county (旌德县)."""

from __future__ import annotations


def load(org, stdout=None) -> None:
    from wangjian.monitoring.services import libraries_load_defaults

    versions = libraries_load_defaults(bureau=org.county, actor=None)
    if stdout is not None:
        stdout.write(
            f"监测关键词库：{len(versions)} 个默认库已发布 / {len(versions)} default rule libraries published\n"
        )
