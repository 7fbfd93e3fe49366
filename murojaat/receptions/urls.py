from django.urls import path

from . import views

app_name = "receptions"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("leaders/", views.leaders, name="leaders"),
]
