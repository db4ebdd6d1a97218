from django.urls import path

from wangjian.exchange import views

app_name = "exchange"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("keys/", views.published_keys, name="keys"),
    path("messages/", views.MessageList.as_view(), name="message_list"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/review/", views.message_review, name="message_review"),
    path("messages/<int:pk>/resend/", views.message_resend, name="message_resend"),
    path("messages/<int:pk>/file/", views.message_bundle, name="message_bundle"),
    path("messages/<int:pk>/receipt/", views.message_receipt, name="message_receipt"),
    path("files/", views.file_exchange, name="file_exchange"),
    path("packages/<int:pk>/", views.package_download, name="package"),
    path("partners/", views.PartnerList.as_view(), name="partner_list"),
    path("partners/add/", views.partner_edit, name="partner_add"),
    path("partners/<int:pk>/", views.partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/agreement/", views.agreement_edit, name="agreement"),
]
