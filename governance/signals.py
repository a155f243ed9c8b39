"""Signal receivers of the governance app (kept empty on purpose: business rules live in services)."""
