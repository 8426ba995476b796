from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report, name="report"),
    path("articles/<int:article_id>/post/", views.post, name="post"),
    path("articles/<int:article_id>/threads/", views.threads, name="threads"),
]
