from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from backspasm import pwa, views
from backspasm.converters import RowIdConverter
from backspasm.health import healthz
from backspasm.landing import after_login

# Before the apps' routes are included: they use <id:pk>.
register_converter(RowIdConverter, "id")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("welcome/", after_login, name="after_login"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    path("api/", include("accounts.api_urls")),
    path("api/", include("tracker.api_urls")),
    path("api/", include("guidance.api_urls")),
    path("api/", include("clinicians.api_urls")),
    path("api/", include("reminders.api_urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("guidance/", include("guidance.urls")),
    path("clinician/", include("clinicians.urls")),
    path("sharing/", include("clinicians.sharing_urls")),
    path("", include("reminders.urls")),
    path("", include("tracker.urls")),
    # The full data export needs every app, so the project glue serves it.
    path("my-data/everything.json", views.export_json, name="export_json"),
]

handler404 = "backspasm.errors.page_not_found"
handler500 = "backspasm.errors.server_error"
