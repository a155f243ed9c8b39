from .navigation import banners_for, nav_for
from .tenancy import institutions_for_user


def santun(request):
    institution = getattr(request, "institution", None)
    user = getattr(request, "user", None)
    context = {"institution": institution, "access": getattr(request, "access", None)}
    if institution is not None:
        context["nav_items"] = nav_for(request)
        context["banners"] = banners_for(request)
    if user is not None and user.is_authenticated:
        # Lazy: only evaluated by templates that show the switcher.
        known = getattr(request, "my_institutions", None)  # read with the visitor's roles by the middleware
        context["my_institutions"] = (lambda: known) if known is not None else (lambda: institutions_for_user(user))
        if institution is not None:
            from .cache import cached
            from .selectors import unread_notification_count

            # Every notice written or read here moves the institution's data version.
            context["unread_notifications"] = lambda: cached(
                institution, f"unread_notifications:user:{user.pk}", lambda: unread_notification_count(user))
    return context
