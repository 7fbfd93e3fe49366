from django.urls import path

from . import views

app_name = "assist"
urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("urgent/<str:number>/decide/", views.decide_flag, name="decide_flag"),
    path("urgent/<str:number>/mark/", views.mark_urgent, name="mark_urgent"),
    path("duplicates/<int:pk>/", views.compare, name="compare"),
    path("duplicates/<int:pk>/merge/", views.merge, name="merge"),
    path("duplicates/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/merge/", views.merge_campaign, name="merge_campaign"),
    path("surges/<int:pk>/acknowledge/", views.acknowledge_surge, name="acknowledge_surge"),
]
