"""The confusion table of expected against decided verdicts, shared by the display-check benchmarks
(``licence_quality.py``, ``permit_quality.py``)."""

from __future__ import annotations

from collections import Counter


def print_confusion(pairs: list[tuple[str, str]], title: str, width: int = 12) -> None:
    """One row per expected verdict, one column per decided one, and the row's share decided right."""
    confusion = Counter(pairs)
    verdicts = sorted({want for want, _ in pairs} | {got for _, got in pairs})
    head = "expected \\ decided"
    print(f"\nconfusion, {title}:")
    print(f"{head:20}" + "".join(f"{v[: width - 1]:>{width}}" for v in verdicts) + f"{'recall':>8}")
    for want in verdicts:
        row = [confusion[(want, got)] for got in verdicts]
        if sum(row):
            print(
                f"{want:20}"
                + "".join(f"{n:{width}}" for n in row)
                + f"{confusion[(want, want)] / sum(row):8.3f}"
            )
