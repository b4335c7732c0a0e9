from django.urls import path

from accounts.api import SignOutEverywhereView, TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", SignOutEverywhereView.as_view(), name="api-tokens"),
]
