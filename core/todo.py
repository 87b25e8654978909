"""What a user must do, on their home page (issue 18, item 7: "no one's home page says what they must do").

A record type declares its to-do lists as a part of its declaration (``RecordType.todo``, core.records), by
import in its app's ``registries.py``, as it declares its form or its verbs: ``AGREEMENTS`` declares the
agreements waiting for a leader's decision, the copies owed to the Ministry of Foreign Affairs and the activities
of implementation plans falling due (agreements/todo.py). Core knows no app: it asks each declared list for its
rows and shows the first few, their number and a link to the whole list.

A list is the user's when the policy lets them do its ``action`` somewhere (``approve`` for a leader, ``change``
for an officer); its rows come from that same policy (``Model.objects.restrict(user, action)``), so a leader
never sees another province's agreement among those waiting for them. Each list reads two queries whatever the
number of rows (its first rows and its count), a few more where its rows are worked out from dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.views.generic import TemplateView

from core.scope import scope_for

# Rows of each list shown on the home page; the whole list is a page of its own.
HOME_ROWS = 5
PAGE_ROWS = 50


def _absolute_url(row) -> str:
    return row.get_absolute_url()


@dataclass(frozen=True, kw_only=True)
class Todo:
    """One list of what to do, declared on a record type (``RecordType.todo``).

    ``rows(user, action, today)`` returns the rows to act on, already through the policy for ``action`` and in
    the order they should be dealt with (the nearest deadline first), with what ``note`` and ``link`` read joined;
    a plain list where the rows are worked out rather than stored (reports.todo: periods not saved yet).
    ``due(row)`` is the row's deadline, if it has one: the page shows it and marks it when it has passed.
    ``note(row)`` says in a few words where the row stands (its unit, the body that has not answered).
    ``link(row)`` is the page where the user acts on it (by default the row's own page).
    """

    key: str
    title: Promise
    action: str
    rows: Callable[..., QuerySet]
    explanation: Promise | str = ""
    due: Callable[[object], dt.date | None] | None = None
    note: Callable[[object], str] | None = None
    link: Callable[[object], str] = field(default=_absolute_url)

    def applies_to(self, user) -> bool:
        """Whether the list is the user's: the policy lets them do its action somewhere."""
        return not scope_for(user, self.action).empty

    def queryset(self, user, today: dt.date) -> QuerySet:
        return self.rows(user, self.action, today)

    def item(self, row, today: dt.date) -> TodoItem:
        due = self.due(row) if self.due else None
        return TodoItem(
            text=str(row),
            url=self.link(row),
            note=str(self.note(row)) if self.note else "",
            due=due,
            overdue=due is not None and due < today,
        )


@dataclass(frozen=True)
class TodoItem:
    """A row of a list as a page shows it."""

    text: str
    url: str
    note: str
    due: dt.date | None
    overdue: bool


@dataclass
class TodoList:
    """A list as the home page shows it: its first rows, how many there are, and where to see them all."""

    record_type: object
    todo: Todo
    items: list[TodoItem]
    count: int

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("core:todo", kwargs={"slug": self.record_type.slug, "key": self.todo.key})

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def declared_todos() -> list[tuple[object, Todo]]:
    """Every declared list, with its record type, in the order the record types were registered."""
    from core.records import record_types

    return [(record_type, todo) for record_type in record_types().values() for todo in record_type.todo]


def todo_lists(user, *, today: dt.date | None = None, rows: int = HOME_ROWS) -> list[TodoList]:
    """The lists that are ``user``'s (empty ones included), each with its first ``rows`` rows and its count."""
    today = today or timezone.localdate()
    found = []
    for record_type, todo in declared_todos():
        if not todo.applies_to(user):
            continue
        queryset = todo.queryset(user, today)
        first = list(queryset[:rows])
        # A list worked out from dates rather than read from rows (reports.todo: periods not stored yet) is a list.
        count = len(queryset) if isinstance(queryset, list) else queryset.count()
        found.append(TodoList(record_type, todo, [todo.item(row, today) for row in first], count))
    return found


def find_todo(slug: str, key: str):
    """The record type and list declared as ``slug`` and ``key``, or (None, None)."""
    for record_type, todo in declared_todos():
        if record_type.slug == slug and todo.key == key:
            return record_type, todo
    return None, None


class TodoListView(LoginRequiredMixin, TemplateView):
    """One list of what to do, whole, a page at a time; only a list that is the user's (else 404)."""

    template_name = "core/todo_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record_type, todo = find_todo(self.kwargs["slug"], self.kwargs["key"])
        if todo is None or not todo.applies_to(self.request.user):
            raise Http404
        today = timezone.localdate()
        page = Paginator(todo.queryset(self.request.user, today), PAGE_ROWS).get_page(self.request.GET.get("page"))
        context.update(
            todo=todo,
            record_type=record_type,
            page=page,
            items=[todo.item(row, today) for row in page.object_list],
        )
        return context
