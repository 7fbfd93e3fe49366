"""Appeal URLs: the workspace (inboxes, search) and the case pages (one appeal, its actions)."""

from django.urls import include, path

app_name = "appeals"
urlpatterns = [
    path("", include("murojaat.appeals.urls_workspace")),
    path("", include("murojaat.appeals.urls_case")),
]
