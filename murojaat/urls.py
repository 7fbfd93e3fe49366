from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from murojaat.api import api

urlpatterns = [
    path("", include("murojaat.core.urls")),
    path("accounts/", include("murojaat.accounts.urls")),
    path("orgs/", include("murojaat.orgs.urls")),
    path("appeals/", include("murojaat.appeals.urls")),
    path("gateway/", include("murojaat.gateway.urls")),
    # Issue 13: organisations' public pages and reception booking, beside the citizens' pages.
    path("citizens/", include("murojaat.receptions.urls_public")),
    path("citizens/", include("murojaat.citizens.urls")),
    path("reports/", include("murojaat.reports.urls")),
    # Trainings and discipline moved to `control` (issue 10, item 4); old links still land.
    path(
        "receptions/trainings/",
        RedirectView.as_view(pattern_name="control:trainings", permanent=True, query_string=True),
    ),
    path(
        "receptions/discipline/",
        RedirectView.as_view(pattern_name="control:discipline", permanent=True, query_string=True),
    ),
    path("receptions/", include("murojaat.receptions.urls")),
    path("control/", include("murojaat.control.urls")),
    # Citizen-facing pages of the reports stream: published statistics, letter confirmation.
    path("public/", include("murojaat.documents.urls_public")),
    path("parties/", include("murojaat.parties.urls")),
    path("assist/", include("murojaat.assist.urls")),
    path("", include("murojaat.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # DJANGO_ADMIN_PATH: the admin's address is not the one every scanner tries first.
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
