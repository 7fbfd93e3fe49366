from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("staff/", views.staff, name="staff"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/children/", views.children, name="children"),
]
