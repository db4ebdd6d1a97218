"""Monitoring tests: the demo market served once on 127.0.0.1, and a scripted site per test."""

from __future__ import annotations

import pytest

from tests.monitoring.util import Site
from wangjian.monitoring.demo_market import serve


@pytest.fixture(scope="session")
def market():
    """The bundled demo market, served once for the session."""
    server = serve(0)
    yield server
    server.shutdown()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def tiny_model(weights: dict[str, float], *, intercept: float = -1.0, threshold: float = 0.9):
    """A one-category (mlm) similarity model: every n-gram given has IDF 1 and the weight given."""
    from wangjian.monitoring import similarity

    vocab = {g: [1.0, w] for g, w in weights.items()}
    return similarity.Model(
        {
            "categories": ["mlm"],
            "threshold": threshold,
            "intercepts": [intercept],
            "vocab": vocab,
            "version": "t1",
        }
    )


@pytest.fixture
def lying_flat_model(monkeypatch):
    """Every engine built from here on scores with a model for which "躺赚" is wording of pyramid selling."""
    from wangjian.monitoring import engine, selectors, similarity

    model = tiny_model({"躺赚": 6.0})
    monkeypatch.setattr(similarity, "default_model", lambda: model)
    monkeypatch.setattr(selectors, "_engine_cache", {})
    monkeypatch.setattr(engine, "_default_engine", None)  # built again, with this model
    return model
