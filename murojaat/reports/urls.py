from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/appeals/", views.monthly_appeals, name="monthly_appeals"),
    path("monthly/export.xlsx", views.monthly_export, {"fmt": "xlsx"}, name="monthly_export"),
    path("monthly/export.pdf", views.monthly_export, {"fmt": "pdf"}, name="monthly_export_pdf"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("discipline/", views.discipline_ranking, name="discipline"),
]
