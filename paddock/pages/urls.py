from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("contact-form/<id:page_id>/", views.contact_send, name="contact_send"),
    path("contact-form/<id:page_id>/sent/", views.contact_sent, name="contact_sent"),
]
