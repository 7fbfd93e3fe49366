"""The staff workspace: inboxes by role and search (included into app_name "appeals")."""

from django.urls import path

from . import views_workspace

urlpatterns = [
    path("inbox/", views_workspace.inbox, name="inbox"),
    path("search/", views_workspace.search, name="search"),
]
