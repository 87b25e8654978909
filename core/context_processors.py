"""Navigation: the menu grows as areas land (each app adds its record types and its own pages)."""

from core.records import record_types

# Pages of an app beyond its record types, by app label: (label, URL name). Apps add theirs in ready().
_PAGES: dict[str, list[tuple[str, str]]] = {}


def register_page(app_label: str, label, url_name: str) -> None:
    """Show the page ``url_name`` in the menu of the app ``app_label``, after its record types."""
    _PAGES.setdefault(app_label, []).append((label, url_name))


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    groups: dict[str, list] = {}
    pages: dict[str, list] = {}
    for record_type in record_types().values():
        config = record_type.model._meta.app_config
        groups.setdefault(config.verbose_name, []).append(record_type)
        pages[config.verbose_name] = _PAGES.get(config.label, [])
    from core.scope import scope_for

    return {
        "nav_groups": groups,
        "nav_pages": pages,
        "may_manage_accounts": not scope_for(request.user, "manage_accounts").empty,
    }
