from django.urls import path

from wangjian.evidence import views

app_name = "evidence"

urlpatterns = [
    path("captures/", views.CaptureList.as_view(), name="capture_list"),
    path("captures/add/", views.capture_add, name="capture_add"),
    path("captures/upload/", views.capture_upload, name="capture_upload"),
    path("captures/<int:pk>/", views.capture_detail, name="capture"),
    path("captures/<int:pk>/access/", views.capture_access, name="capture_access"),
    path("captures/<int:pk>/files/<str:name>", views.capture_file, name="capture_file"),
    path("captures/<int:pk>/package.wacz", views.capture_package, name="capture_package"),
    path("captures/<int:pk>/replay/", views.capture_replay, name="capture_replay"),
    path("captures/<int:pk>/replay/r/", views.capture_replay_resource, name="capture_replay_resource"),
    path("captures/<int:pk>/delete/", views.capture_delete, name="capture_delete"),
    path("ledger/", views.ledger_list, name="ledger"),
    path("demo-shop/", views.demo_shop, name="demo_shop"),
    path("keys/<str:code>.pem", views.public_key, name="public_key"),
]
