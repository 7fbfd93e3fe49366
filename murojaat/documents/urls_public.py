from django.urls import path

from murojaat.documents import views
from murojaat.reports import views_public

app_name = "public"

urlpatterns = [
    path("letters/<str:token>/", views.letter_confirmation, name="letter"),
    path("statistics/", views_public.statistics, name="statistics"),
    path("statistics/open-data.<str:fmt>", views_public.open_data, name="open_data"),
]
