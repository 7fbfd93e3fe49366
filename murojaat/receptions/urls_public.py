"""Public (no login) pages under /citizens/: organisations' pages and posters, booking."""

from django.urls import path

from . import public_views as views

app_name = "public_receptions"

urlpatterns = [
    path("orgs/", views.org_index, name="orgs"),
    path("orgs/<slug:code>/", views.org_page, name="org"),
    path("orgs/<slug:code>/poster.pdf", views.org_poster, name="poster"),
    path("receptions/", views.receptions_index, name="index"),
    path("receptions/leader/<int:pk>/", views.book_personal, name="book"),
    path("receptions/field/<int:pk>/", views.book_field, name="book_field"),
    path("receptions/confirm/", views.confirm, name="confirm"),
    path("receptions/done/", views.done, name="done"),
    path("receptions/manage/", views.manage, name="manage"),
    path("receptions/manage/booking/", views.my_booking, name="my_booking"),
    path("receptions/manage/leave/", views.leave, name="leave"),
]
