"""URLs: log-in, i18n, admin, the API (schema and offline docs), then each app under its prefix.

Each app contributes ``<app>/urls.py`` (mounted at ``/<url_prefix>/``, its label unless its
``AppConfig`` says otherwise; the platform's pages sit at the root) and, in ``<app>/api.py``,
a ``register(router)`` function; adding an app needs no edit here.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from wangjian.platform import views as platform_views
from wangjian.platform.api import PasswordView, not_found
from wangjian.platform.apitokens.api import TokenDetailView, TokenListView
from wangjian.platform.intake.api import LeadView
from wangjian.platform.statistics.api import (
    FigureDetailView,
    FigureListView,
    FigureSeriesView,
    RankingDetailView,
    RankingListView,
)

router = DefaultRouter()
app_urls, root_urls = [], []
for config in apps.get_app_configs():
    if not config.name.startswith("wangjian."):
        continue
    if find_spec(f"{config.name}.api"):
        module = import_module(f"{config.name}.api")
        if hasattr(module, "register"):
            module.register(router)
    if find_spec(f"{config.name}.urls"):
        prefix = getattr(config, "url_prefix", config.label)
        (app_urls if prefix else root_urls).append(
            path(f"{prefix}/" if prefix else "", include(f"{config.name}.urls"))
        )

urlpatterns = [
    path("login/", platform_views.LoginView.as_view(), name="login"),
    path("logout/", platform_views.auth_views.LogoutView.as_view(), name="logout"),
    path("password/", platform_views.PasswordChangeView.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/leads/", LeadView.as_view(), name="api-leads"),
    path("api/password/", PasswordView.as_view(), name="api-password"),
    path("api/tokens/", TokenListView.as_view(), name="api-tokens"),
    path("api/tokens/<str:key>/", TokenDetailView.as_view(), name="api-token"),
    # the statistics registry's figures (统计指标, platform.statistics): not rows of a model
    path("api/stats/figures/", FigureListView.as_view(), name="api-stats-figures"),
    path("api/stats/figures/<str:key>/", FigureDetailView.as_view(), name="api-stats-figure"),
    path("api/stats/figures/<str:key>/series/", FigureSeriesView.as_view(), name="api-stats-figure-series"),
    # its rankings (排名: the top platforms and market entities, platform.statistics.rankings)
    path("api/stats/rankings/", RankingListView.as_view(), name="api-stats-rankings"),
    path("api/stats/rankings/<str:key>/", RankingDetailView.as_view(), name="api-stats-ranking"),
    path("api/", include(router.urls)),
    # Any other /api/…/ address: the API's 404 in JSON (without the slash, APPEND_SLASH redirects first);
    # [\s\S], not ".": an address with an encoded line break (%0A) in it is the API's too.
    re_path(r"^api/[\s\S]*/$", not_found, name="api-not-found"),
    *app_urls,
    *root_urls,
]

if settings.WANGJIAN_OIDC_ENABLED:  # the province's single sign-on (wangjian.org.oidc)
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
