from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.centre, name="centre"),
    path("notifications/<int:pk>/read/", views.read, name="read"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/digest/", views.digest, name="digest"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/settings/telegram/", views.telegram_code, name="telegram_code"),
    path("notifications/settings/telegram/unlink/", views.telegram_unlink, name="telegram_unlink"),
    path("public/track/resend/", views.resend, name="resend"),
    path("public/track/resend/confirm/", views.resend_confirm, name="resend_confirm"),
]
