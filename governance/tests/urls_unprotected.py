"""A URL configuration with a tenant view that forgot to declare its permission."""

from django.http import HttpResponse
from django.urls import path


def forgot_permission(request, institution):
    return HttpResponse("secret")


urlpatterns = [path("instansi/<slug:institution>/lupa/", forgot_permission, name="forgot")]
