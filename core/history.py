"""A record's history as people read it: why each version was saved, in words, and what changed, with the
fields' names and values as the pages show them (issue 18, item 8: no internal code on a page)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Why a version was saved (simple_history's change reason), in words. Verbs declared with core.verbs add theirs.
REASONS: dict[str, Promise] = {
    "create": _("created"),
    "update": _("edited"),
    "delete": _("moved to the trash"),
    "restore": _("restored from the trash"),
    "merge": _("partners merged"),
    "status": _("new status recorded"),
    "sent": _("request for an opinion sent"),
    "reply": _("reply recorded"),
    "copy sent": _("copy sent to the Ministry recorded"),
    "load_reference_data": _("reference data loaded"),
    "demo": _("demo data loaded"),
}


def register_reason(code: str, label: Promise) -> None:
    """Name the reason ``code`` (a verb's name, as its service writes it into the history)."""
    REASONS.setdefault(code, label)


def reason_label(code: str) -> str:
    """The reason in words; an unknown code is not shown (an internal word is never put on a page)."""
    return str(REASONS.get(code, "")) if code else ""


def _shown(model_field: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if model_field.is_relation and model_field.related_model is not None:
        rows = model_field.related_model._base_manager.filter(pk=value)
        if hasattr(rows, "unrestricted"):
            rows = rows.unrestricted("a value the record held, named in its history")
        related = rows.first()
        return str(related) if related is not None else "—"
    return str(value)


def changes_in_words(model, diff, masked: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """The changes of one version (simple_history's ``diff_against``): (field's name, before, after) as a page
    shows them; a personal field the reader may not see is masked."""
    from core.policy import MASK

    rows = []
    for change in diff.changes:
        try:
            model_field = model._meta.get_field(change.field)
        except Exception:  # noqa: BLE001 - a field since removed: shown by its stored name
            rows.append((change.field, str(change.old or "—"), str(change.new or "—")))
            continue
        if change.field in masked:
            rows.append((str(model_field.verbose_name), MASK, MASK))
            continue
        if isinstance(change.old, dict) and isinstance(change.new, dict):
            # A field of several texts (a report's sections): only the texts that changed, each before and after,
            # not the whole field written out twice.
            for key in dict.fromkeys([*change.old, *change.new]):
                if change.old.get(key) != change.new.get(key):
                    rows.append(
                        (
                            str(model_field.verbose_name),
                            str(change.old.get(key) or "—"),
                            str(change.new.get(key) or "—"),
                        )
                    )
            continue
        rows.append((str(model_field.verbose_name), _shown(model_field, change.old), _shown(model_field, change.new)))
    return rows
