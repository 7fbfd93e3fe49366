from django.urls import path

from . import views

app_name = "receptions"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("leaders/", views.leaders, name="leaders"),
    path("bookings/", views.bookings, name="bookings"),
    path("schedule/<int:pk>/", views.schedule, name="schedule"),
    path("officers/<int:pk>/", views.officers, name="officers"),
    path("field-gaps/", views.field_gaps, name="field_gaps"),
]
