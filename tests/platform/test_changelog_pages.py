"""A change-log page exists only for models whose changes are recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, get_resolver, reverse

from wangjian.core.models import AuditedModel
from wangjian.monitoring.models import SweepRun
from wangjian.platform import generic


def _changelog_views():
    def walk(patterns, ns=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif p.name and p.name.endswith("_changelog"):
                yield ns + p.name, getattr(p.callback, "view_class", None)

    return list(walk(get_resolver().url_patterns))


def test_every_change_log_page_is_of_an_audited_model():
    views = _changelog_views()
    assert len(views) >= 15
    for name, view in views:
        assert view is not None and issubclass(view.model, AuditedModel), name


def test_a_change_log_page_of_a_model_that_is_not_audited_is_refused_when_the_urls_are_built():
    class RunChangelog(generic.ObjectChangelogView):
        model = SweepRun

    with pytest.raises(ImproperlyConfigured, match="not audited"):
        generic.crud_urls("run", changelog_view=RunChangelog.as_view())


def test_sweep_runs_licence_checks_and_snapshots_have_no_change_log_page():
    for name in ("monitoring:run_changelog", "monitoring:licence_changelog", "monitoring:snapshot_changelog"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])
