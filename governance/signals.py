"""Signals the governance app sends so that apps to its right can react without being imported.

Receivers must not hold business rules of their own: they call a service of their app.
"""

from django.dispatch import Signal

# Sent inside the publishing transaction with ``version`` (CodeVersion) and ``actor`` (User).
# members uses it to ask staff to acknowledge the new version.
code_published = Signal()
