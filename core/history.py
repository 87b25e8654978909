"""A record's history as people read it: why each version was saved, in words, and what changed, with the
fields' names and values as the pages show them (issue 18, item 8: no internal code on a page)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
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


def date_time_text(value: dt.date) -> str:
    """A day as every page writes it (04/12/2026); a moment with its time, in the local time (04/12/2026 16:29),
    never Python's ISO form in UTC."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _shown(model_field: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(model_field, "display"):
        # A field that shows its value otherwise than it stores it (a regime's day of the year, 12-15 as 15/12).
        return model_field.display(value)
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.date):
        return date_time_text(value)
    if model_field.is_relation and model_field.related_model is not None:
        rows = model_field.related_model._base_manager.filter(pk=value)
        if hasattr(rows, "unrestricted"):
            rows = rows.unrestricted("a value the record held, named in its history")
        related = rows.first()
        return str(related) if related is not None else "—"
    return str(value)


# How much of a changed text the history shows, before and after: enough to recognise it, not the whole text twice.
EXCERPT = 80


def excerpt(value) -> str:
    """The start of a text the history shows (its first ``EXCERPT`` characters, its lines run together), "—" for
    none; a structured value (a figure chosen, with its reason) by its values, never Python's braces."""
    if isinstance(value, dict):
        value = "; ".join(str(item) for item in value.values() if item not in (None, ""))
    elif isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value if item not in (None, ""))
    text = " ".join(str(value or "").split())
    return Truncator(text).chars(EXCERPT) if text else "—"


def key_label(record, field_name: str, key: str) -> str:
    """A key of a field of several texts as people know it: the record answers it
    (core.models.TrackedModel.history_key_label: a report's section by its title in its regime's outline), else the
    key itself."""
    label = getattr(record, "history_key_label", None)
    return str(label(field_name, key) or key) if label is not None else str(key)


def changes_in_words(model, diff, masked: frozenset[str] = frozenset(), record=None) -> list[tuple[str, str, str]]:
    """The changes of one version (simple_history's ``diff_against``): (field's name, before, after) as a page
    shows them; a personal field the reader may not see is masked. ``record`` names the keys of a field of several
    texts (:func:`key_label`)."""
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
        if isinstance(change.old, dict) or isinstance(change.new, dict):
            # A field of several texts (a report's sections): only the texts that changed, each named (a section by
            # its title) with the start of its text before and after, not the whole field written out twice.
            old = change.old if isinstance(change.old, dict) else {}
            new = change.new if isinstance(change.new, dict) else {}
            for key in dict.fromkeys([*old, *new]):
                if old.get(key) != new.get(key):
                    label = _("%(field)s “%(key)s”") % {
                        "field": model_field.verbose_name,
                        "key": key_label(record, change.field, key),
                    }
                    rows.append((str(label), excerpt(old.get(key)), excerpt(new.get(key))))
            continue
        rows.append((str(model_field.verbose_name), _shown(model_field, change.old), _shown(model_field, change.new)))
    return rows
