from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "gateway"


def moved(name: str) -> Callable[..., HttpResponse]:
    """The citizen's pages moved to `murojaat.citizens`; the tracking links already given to
    citizens (and any page still naming the old routes) keep working through a permanent
    redirect. 308 keeps the method and the body, so a form posted to an old address still
    arrives; the redirect itself reads no body (csrf_exempt: it changes nothing)."""

    @csrf_exempt
    def redirect(request: HttpRequest, **kwargs: object) -> HttpResponsePermanentRedirect:
        kwargs.pop("decision", None)
        url = reverse(f"citizens:{name}", kwargs=kwargs or None)
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        response.status_code = 308
        return response

    return redirect


urlpatterns = [
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<int:pk>/resend/", views.outbox_resend, name="outbox_resend"),
    # Addresses of the citizen's pages before they moved to /citizens/ (murojaat.citizens).
    path("reviews/", moved("reviews"), name="reviews"),
    path("reviews/<int:pk>/take/", moved("review_take"), name="review_take"),
    path("reviews/<int:pk>/reply/", moved("review_reply"), name="review_reply"),
    path("public/", moved("public_new"), name="public_new"),
    path("public/done/", moved("public_done"), name="public_done"),
    path("public/track/", moved("public_track"), name="public_track"),
    path("public/track/appeal/", moved("public_status"), name="public_status"),
    path("public/track/leave/", moved("public_leave"), name="public_leave"),
]
