from django.urls import path

from . import views

app_name = "citizens"
urlpatterns = [
    path("", views.public_new, name="public_new"),
    path("done/", views.public_done, name="public_done"),
    path("track/", views.public_track, name="public_track"),
    path("track/appeal/", views.public_status, name="public_status"),
    path("track/leave/", views.public_leave, name="public_leave"),
    path("track/letter.pdf", views.public_letter, name="public_letter"),
    path("track/phone/", views.phone_start, name="phone_start"),
    path("track/phone/confirm/", views.phone_confirm, name="phone_confirm"),
    path("track/mine/", views.my_appeals, name="my_appeals"),
    path("track/mine/<str:number>/", views.my_appeal, name="my_appeal"),
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
]
