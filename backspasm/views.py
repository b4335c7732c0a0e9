import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from backspasm.exports import everything_for


@login_required
def export_json(request):
    body = json.dumps(everything_for(user=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="spasm-tracker-data.json"'
    return response
