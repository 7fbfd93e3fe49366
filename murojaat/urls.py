from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from murojaat.api import api

urlpatterns = [
    path("", include("murojaat.core.urls")),
    path("accounts/", include("murojaat.accounts.urls")),
    path("orgs/", include("murojaat.orgs.urls")),
    path("appeals/", include("murojaat.appeals.urls")),
    path("gateway/", include("murojaat.gateway.urls")),
    path("reports/", include("murojaat.reports.urls")),
    path("receptions/", include("murojaat.receptions.urls")),
    path("parties/", include("murojaat.parties.urls")),
    path("", include("murojaat.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
