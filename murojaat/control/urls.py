from django.urls import path

from . import views

app_name = "control"

urlpatterns = [
    path("trainings/", views.trainings, name="trainings"),
    path("discipline/", views.discipline, name="discipline"),
]
