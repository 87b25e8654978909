"""System checks of the registry machinery, run at start-up and by ``manage.py check``."""

from django.core import checks


@checks.register()
def record_types_fit_their_models(app_configs, **kwargs):
    """Every record type's parts are made for its model, its verbs can be called, its page exists and its model
    declares a policy (core.records.RecordType): a declaration that does not fit fails at start-up."""
    from core.records import record_types

    return [
        checks.Error(f"record type {slug!r}: {problem}", obj=record_type.model, id="core.E001")
        for slug, record_type in record_types().items()
        for problem in record_type.problems()
    ]


@checks.register()
def scoped_models_declare_a_policy(app_configs, **kwargs):
    """Every model whose rows belong to units (a scoped queryset) has a policy that answers for it."""
    from django.apps import apps

    from core.policy import Policy
    from core.scope import ScopedQuerySet

    return [
        checks.Error(f"{model._meta.label} has a scoped queryset but no policy", obj=model, id="core.E002")
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), ScopedQuerySet)
        and not isinstance(getattr(model, "policy", None), Policy)
    ]
