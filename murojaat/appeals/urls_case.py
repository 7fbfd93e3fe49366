"""The case pages: registering an appeal, one appeal's page and every action on it."""

from django.urls import path

from . import views_case

urlpatterns = [
    path("register/", views_case.register, name="register"),
    path("register/<slug:channel>/", views_case.register_channel, name="register_channel"),
    path("<str:number>/", views_case.detail, name="detail"),
    path("<str:number>/act/<slug:action>/", views_case.act, name="act"),
    path("<str:number>/act/<slug:action>/<int:assignment_id>/", views_case.act, name="act"),
    path("<str:number>/documents/<int:pk>/", views_case.document, name="document"),
    path(
        "<str:number>/assignments/<int:assignment_id>/answer-letter.docx",
        views_case.answer_letter,
        name="answer_letter",
    ),
    path(
        "<str:number>/assignments/<int:assignment_id>/answer-letter.pdf",
        views_case.answer_letter,
        name="answer_letter_pdf",
    ),
]
