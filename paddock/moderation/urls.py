from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("comments/<id:pk>/feature/", views.feature, name="feature"),
]

admin_urlpatterns = (
    [
        path("", views.queue, name="queue"),
        path("decide/", views.decide, name="decide"),
        path("comments/<id:pk>/", views.comment_detail, name="comment"),
        path("readers/<id:user_id>/", views.reader_detail, name="reader"),
        path("audit/", views.audit_log, name="audit"),
        path("audit.csv", views.audit_csv, name="audit_csv"),
        path("dashboard/", views.dashboard, name="dashboard"),
        path("discussions/", views.discussions, name="discussions"),
    ],
    "moderation_admin",
)
