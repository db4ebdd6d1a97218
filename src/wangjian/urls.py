"""URLs: log-in, i18n, admin, the API (schema and offline docs), then each domain app under its label.

Each app contributes ``<app>/urls.py`` (mounted at ``/<app>/``) and, in ``<app>/api.py``, a
``register(router)`` function; adding an app needs no edit here.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from wangjian.core import views as core_views

router = DefaultRouter()
app_urls = []
for config in apps.get_app_configs():
    if not config.name.startswith("wangjian.") or config.label == "core":
        continue
    if find_spec(f"{config.name}.api"):
        module = import_module(f"{config.name}.api")
        if hasattr(module, "register"):
            module.register(router)
    if find_spec(f"{config.name}.urls"):
        app_urls.append(path(f"{config.label}/", include(f"{config.name}.urls")))
import_module("wangjian.core.api_views").register(router)

urlpatterns = [
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", core_views.auth_views.LogoutView.as_view(), name="logout"),
    path("password/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/", include(router.urls)),
    *app_urls,
    path("", include("wangjian.core.urls")),
]
