"""Navigation: the menu grows as areas land (each app adds its record types)."""

from core.records import record_types


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    groups: dict[str, list] = {}
    for record_type in record_types().values():
        groups.setdefault(record_type.model._meta.app_config.verbose_name, []).append(record_type)
    from core.scope import scope_for

    return {"nav_groups": groups, "may_manage_accounts": not scope_for(request.user, "manage_accounts").empty}
