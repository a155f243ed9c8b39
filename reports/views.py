from django.shortcuts import render

from governance.navigation import panels_for
from governance.permissions import requires


@requires("institution.view")
def dashboard(request, institution):
    """The institution's landing page, shaped by the visitor's roles through registered panels."""
    return render(request, "reports/dashboard.html", {"panels": panels_for(request)})
