from django.urls import path

from . import views

app_name = "parties"
urlpatterns = [
    path("", views.index, name="index"),
    path("registry/", views.party_list, name="list"),
    path("registry/<slug:slug>/", views.party_detail, name="party"),
    path("lineage/", views.lineage, name="lineage"),
    path("laws/", views.law_list, name="laws"),
    path("laws/add/", views.law_add, name="law_add"),
    path("elections/", views.election_list, name="elections"),
    path("elections/<slug:slug>/", views.election_detail, name="election"),
    path("elections/<slug:slug>/import/", views.election_import, name="election_import"),
    path("elections/<slug:slug>/what-if/", views.election_what_if, name="what_if"),
    path("allocate/", views.allocate, name="allocate"),
    path("analytics/", views.analytics, name="analytics"),
    path("registry.<str:fmt>", views.export_registry, name="export_registry"),
    path("elections/<slug:slug>/results.<str:fmt>", views.export_election, name="export_election"),
    path("analytics.<str:fmt>", views.export_analytics, name="export_analytics"),
]
