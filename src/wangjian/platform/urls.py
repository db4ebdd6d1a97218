from django.urls import path

from wangjian.platform import health, views
from wangjian.platform.apitokens import views as apitoken_views
from wangjian.platform.clocks import views as clock_views
from wangjian.platform.inbox import views as inbox_views
from wangjian.platform.metrics import views as metrics_views
from wangjian.platform.numbering import views as number_views
from wangjian.platform.statistics import views as stats_views
from wangjian.platform.workitems import views as workitem_views

app_name = "platform"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    # Operations (no log-in; docs/deployment.md): liveness, readiness, Prometheus metrics (bearer token).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics_views.metrics, name="metrics"),
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("changelog/", views.changelog, name="changelog"),
    path("tokens/", apitoken_views.tokens, name="api_tokens"),
    path("tokens/<str:key>/revoke/", apitoken_views.token_revoke, name="api_token_revoke"),
    path("changelog/<int:pk>/", views.changerecord, name="changerecord"),
    path("leads/<str:number>/", views.lead_redirect, name="lead"),
    path("clocks/", clock_views.clock_list, name="clock_list"),
    path("tasks/", workitem_views.workitem_list, name="workitem_list"),
    path("tasks/add/", workitem_views.workitem_add, name="workitem_add"),
    path("tasks/<int:pk>/", workitem_views.workitem_detail, name="workitem"),
    path("tasks/<int:pk>/act/<str:action>/", workitem_views.workitem_act, name="workitem_act"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", inbox_views.message_open, name="message_open"),
    path("inbox/addresses/", inbox_views.push_addresses, name="push_addresses"),
    path("numbers/", number_views.number_kinds, name="number_kinds"),
    path("numbers/<str:kind>/", number_views.number_register, name="number_register"),
    path("stats/", stats_views.stats_dashboard, name="stats_dashboard"),
    path("stats/rankings/", stats_views.stats_rankings, name="stats_rankings"),
    path("stats/figures/<str:key>/", stats_views.stats_figure, name="stats_figure"),
]
