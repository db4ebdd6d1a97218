"""The application's URLs with the single sign-on routes, as a deployment that configures OIDC has them."""

from django.urls import include, path

from wangjian.urls import urlpatterns as app

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *app]
