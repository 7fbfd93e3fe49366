from django.urls import path

from . import views

app_name = "gateway"
urlpatterns = [
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<int:pk>/resend/", views.outbox_resend, name="outbox_resend"),
    path("reviews/", views.reviews, name="reviews"),
    path(
        "reviews/<int:pk>/take/",
        views.review_decide,
        {"decision": "take"},
        name="review_take",
    ),
    path(
        "reviews/<int:pk>/reply/",
        views.review_decide,
        {"decision": "reply"},
        name="review_reply",
    ),
    path("public/", views.public_new, name="public_new"),
    path("public/done/", views.public_done, name="public_done"),
    path("public/track/", views.public_track, name="public_track"),
    path("public/track/appeal/", views.public_status, name="public_status"),
    path("public/track/leave/", views.public_leave, name="public_leave"),
]
