from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<id:pk>/", views.permalink, name="permalink"),
    path("<id:pk>/reply/", views.reply, name="reply"),
    path("<id:pk>/vote/", views.vote, name="vote"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/delete/", views.delete, name="delete"),
    path("<id:pk>/report/", views.report, name="report"),
    path("articles/<id:article_id>/post/", views.post, name="post"),
    path("articles/<id:article_id>/threads/", views.threads, name="threads"),
    path("articles/<id:article_id>/mentions/", views.mention_suggestions, name="mentions"),
    path("articles/<id:article_id>/live/", views.live, name="live"),
]
