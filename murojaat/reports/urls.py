from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/export.xlsx", views.monthly_export, name="monthly_export"),
]
