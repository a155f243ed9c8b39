"""Background work of the reports app. Each task sits beside the service it runs (see services/);
importing them here lets Celery's autodiscovery register them."""

from .services.exports import build_export

__all__ = ["build_export"]
