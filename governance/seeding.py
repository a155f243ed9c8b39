"""The demo world is built by every app in turn: each registers its seeder from its
``AppConfig.ready`` (as a dotted path, so that demo code is imported only by ``seed_demo``). Apps
become ready in ``INSTALLED_APPS`` order, which is the one-way dependency order, so an app's
seeder finds the institutions and people of the apps below it."""

from __future__ import annotations

from django.utils.module_loading import import_string

_SEEDERS: list[str] = []


def register_demo(path: str) -> None:
    """``path`` names a ``seed(ctx)`` function, e.g. ``"members.demo.seed"``."""
    if path not in _SEEDERS:
        _SEEDERS.append(path)


def demo_seeders():
    return [import_string(path) for path in _SEEDERS]
