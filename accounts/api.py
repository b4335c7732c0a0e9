from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.services import api_token_create, api_token_revoke, user_sign_out_everywhere


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenView(APIView):
    """POST: exchange an email and password for a new API token for this device
    (``Authorization: Token <token>``), valid until ``expiry``. DELETE: revoke the token
    this request is made with."""

    throttle_classes = [AnonRateThrottle]

    def get_authenticators(self):
        # Asking for a token needs no credentials (a stale token must not get in the way).
        # (The schema generator asks with no request at all.)
        asking = getattr(self.request, "method", None) == "POST"
        return [] if asking else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField(allow_null=True)},
            )
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes counts failures on the HttpRequest; its middleware answers a lockout (429).
        http_request = request._request
        user = authenticate(
            request=http_request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            return Response(
                {"non_field_errors": [_("Email or password is not correct.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, expiry = api_token_create(user=user)
        return Response({"token": token, "expiry": expiry})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if isinstance(request.auth, AuthToken):
            api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereView(APIView):
    """Revoke every API token and end every browser session of the account."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        user_sign_out_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
