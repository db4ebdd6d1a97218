"""The pages of the 12315 imports: the batches and the upload, one batch with its refused rows, their CSV; the
handling results exported for entry into the platform."""

from django.urls import path

from wangjian.complaints import views_import

urlpatterns = [
    path("imports/", views_import.import_list, name="import_list"),
    path("imports/results/", views_import.import_results, name="import_results"),
    path("imports/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("imports/<int:pk>/rejected.csv", views_import.import_rejected_csv, name="import_rejected"),
]
