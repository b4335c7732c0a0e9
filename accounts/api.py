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
from accounts.two_factor import second_step_verify, two_factor_enabled


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_token = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=_(
            "For accounts with two-factor sign-in (always for clinicians and staff): the code "
            "from the authenticator app, or a backup code."
        ),
    )


class TokenView(APIView):
    """POST: exchange an email and password (and, with two-factor sign-in, ``otp_token``) for
    a new API token for this device (``Authorization: Token <token>``), valid until
    ``expiry`` (12 hours for clinicians and staff). DELETE: revoke the token this request
    is made with."""

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
        if user.two_factor_required or two_factor_enabled(user):
            refusal = self._second_step_refusal(
                http_request, user, serializer.validated_data.get("otp_token", "")
            )
            if refusal:
                return Response({"otp_token": [refusal]}, status=status.HTTP_400_BAD_REQUEST)
        token, expiry = api_token_create(user=user)
        return Response({"token": token, "expiry": expiry})

    @staticmethod
    def _second_step_refusal(http_request, user, otp_token: str) -> str:
        if not two_factor_enabled(user):
            return _("Set up two-factor sign-in on the website first, then ask for a token.")
        # No code yet is the usual first answer of a two-step client: not a failed attempt.
        if not otp_token or not second_step_verify(request=http_request, user=user, token=otp_token):
            return _("Enter the code from your authenticator app, or a backup code.")
        return ""

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
