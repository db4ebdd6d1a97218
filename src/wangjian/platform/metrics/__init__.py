"""The metrics registry: what ``/metrics`` shows, in the Prometheus text format.

The platform does not know the domain apps; each registers its own gauges in its
``AppConfig.ready()``::

    register_metric("wangjian_clues_overdue", "open clues past their running deadline",
                    overdue_by_bureau, labels=("bureau",))

``collect`` is called at every scrape and returns a number, or ``(labels, value)`` pairs with
one value per label named in ``labels``. It reads counts only: a metric never carries a name,
a telephone number or any other personal data, and its labels are codes (a bureau's division
code, a queue's name, a task's name). A collector that fails is left out of that scrape and
named in ``wangjian_metric_errors`` — one broken count never hides the others.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

log = logging.getLogger(__name__)

Value = float | int
Samples = Value | Iterable[tuple[Mapping[str, str], Value]]
NAME = re.compile(r"^wangjian_[a-z0-9_]+$")


@dataclass(frozen=True)
class Metric:
    name: str
    help: str
    collect: Callable[[], Samples]
    labels: tuple[str, ...] = ()
    kind: str = "gauge"  # or "counter" (a count that only grows; its name ends in _total)


_metrics: dict[str, Metric] = {}


def register_metric(
    name: str,
    help: str,  # noqa: A002 (Prometheus's word)
    collect: Callable[[], Samples],
    *,
    labels: tuple[str, ...] = (),
    kind: str = "gauge",
) -> None:
    """Show ``name`` at ``/metrics`` with the value ``collect()`` returns at each scrape (from ``ready()``)."""
    if not NAME.match(name):
        raise ValueError(f"metric names are wangjian_<snake_case>: {name!r}")
    if kind not in ("gauge", "counter") or (kind == "counter") != name.endswith("_total"):
        raise ValueError(f"{name!r}: a counter's name ends in _total, a gauge's does not")
    known = _metrics.get(name)
    if known is not None and _origin(known.collect) != _origin(collect):
        raise ValueError(f"metric {name!r} is registered already, by {_origin(known.collect)}")
    _metrics[name] = Metric(name, help, collect, tuple(labels), kind)


def registered() -> list[Metric]:
    return sorted(_metrics.values(), key=lambda m: m.name)


def _origin(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


class _Collector:
    """prometheus_client's view of the registry: every registered metric, read at each scrape."""

    def collect(self):
        errors = GaugeMetricFamily(
            "wangjian_metric_errors",
            "metrics whose collection failed at this scrape (see the log)",
            labels=["metric"],
        )
        for metric in registered():
            family_class = CounterMetricFamily if metric.kind == "counter" else GaugeMetricFamily
            family = family_class(metric.name, metric.help, labels=list(metric.labels))
            try:
                value = metric.collect()
                if isinstance(value, int | float):
                    family.add_metric([], value)
                else:
                    for labels, sample in value:
                        family.add_metric([str(labels[k]) for k in metric.labels], sample)
            except Exception:
                log.exception("metric %s could not be collected", metric.name)
                errors.add_metric([metric.name], 1)
                continue
            yield family
        yield errors


def exposition() -> bytes:
    """The text ``/metrics`` answers: every registered metric, and this process's CPU and memory."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector())
    ProcessCollector(registry=registry)
    return generate_latest(registry)
