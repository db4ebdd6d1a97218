from django.urls import path

from wangjian.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("add/", views.bulletin_add, name="add"),
    path("<int:pk>/", views.bulletin_detail, name="detail"),
    path("<int:pk>/preview/", views.bulletin_preview, name="preview"),
    path("<int:pk>/table/", views.bulletin_table, name="table"),
    path("<int:pk>/<str:kind>/", views.bulletin_download, name="download"),
]
