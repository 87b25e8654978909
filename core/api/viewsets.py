"""API base viewsets: the same scope gate, FilterSet and services as the web UI.

- ``ETag`` carries the record's version; PUT/PATCH with a stale ``If-Match`` answer 412.
- POST with an ``Idempotency-Key`` creates once and replays that answer, even to concurrent retries; the key
  reused for another address or body answers 422 (core.api.idempotency).
"""

from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, run_once
from core.services import VersionConflict, record_create, record_delete, record_update


def _etag(version: int) -> str:
    return f'"{version}"'


def _parse_if_match(value: str | None) -> int | None:
    if not value:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ValidationError({"If-Match": [_("If-Match must be the version number given in the ETag.")]})
    return int(text)


def scoped_object(model, user, lookup, *, action: str = "change", key_field: str = ""):
    """The ``model`` row that ``lookup`` names (its id, or its ``key_field`` value) within what ``user`` may
    ``action``; 404 otherwise, so that a record out of scope is not disclosed."""
    text = str(lookup or "").strip()[:100]
    rows = model._default_manager.restrict(user, action)
    if text.isdigit():
        found = rows.filter(pk=int(text)).first()
    else:
        found = rows.filter(**{key_field: text}).first() if key_field and text else None
    if found is None:
        raise Http404
    return found


def api_errors(exc: DjangoValidationError) -> ValidationError:
    """A model or service ValidationError as the API's 400 answer, with a message per field."""
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class ReadOnlyRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only registry: scoped queryset, the model's FilterSet, ordering.

    A viewset that names its ``record_type`` (core.records) takes the model and FilterSet from it, and
    the verbs that write its records, so that the API and the web forms cannot drift apart.
    ``list_related`` and ``list_prefetch`` name what a page of the answer reads besides the rows.
    """

    ordering_fields = "__all__"
    record_type = None
    list_related: tuple[str, ...] = ()
    list_prefetch: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.record_type is not None and "record_type" in cls.__dict__:
            cls.queryset = cls.record_type.model.objects.all()
            cls.filterset_class = cls.__dict__.get("filterset_class", cls.record_type.filterset_class)
            cls.create_verb = staticmethod(cls.record_type.create_verb)
            cls.update_verb = staticmethod(cls.record_type.update_verb)

    def get_queryset(self):
        rows = self.queryset.model._default_manager.restrict(self.request.user, "view")
        if self.list_related:  # select_related() with no names would follow every foreign key
            rows = rows.select_related(*self.list_related)
        return rows.prefetch_related(*self.list_prefetch)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        policy = self.queryset.model.policy
        policy.audit_personal_views(
            self.request.user, page if page is not None else queryset, request=self.request, surface="api"
        )
        return page

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        self.queryset.model.policy.audit_personal_views(request.user, [record], request=request, surface="api")
        response = super().retrieve(request, *args, **kwargs)
        if "version" in response.data:
            response["ETag"] = _etag(response.data["version"])
        return response


class RecordViewSet(ReadOnlyRecordViewSet, viewsets.ModelViewSet):
    """A writable registry: writes go through core.services (scope, version, audit), or through the
    verbs an app names for its records (``create_verb``, ``update_verb``), as its web forms do."""

    create_verb = staticmethod(record_create)
    update_verb = staticmethod(record_update)

    @extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER])
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return super().create(request, *args, **kwargs)
        # Reserved before the create runs, so that concurrent retries cannot both create (core.api.idempotency).
        return run_once(request, key, partial(super().create, request, *args, **kwargs))

    def perform_create(self, serializer):
        m2m = {
            k: serializer.validated_data.pop(k)
            for k in list(serializer.validated_data)
            if serializer.Meta.model._meta.get_field(k).many_to_many
        }
        instance = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = self.create_verb(instance=instance, user=self.request.user, request=self.request, m2m=m2m)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        # The version the client read: its If-Match, or else the stored one (a last-writer update).
        self.expected_version = _parse_if_match(request.headers.get("If-Match"))
        if self.expected_version is None:
            self.expected_version = instance.version
        elif self.expected_version != instance.version:
            raise VersionConflict(instance)
        response = super().update(request, *args, **kwargs)
        response["ETag"] = _etag(response.data["version"])
        return response

    def perform_update(self, serializer):
        instance = serializer.instance
        m2m = {
            k: serializer.validated_data.pop(k)
            for k in list(serializer.validated_data)
            if serializer.Meta.model._meta.get_field(k).many_to_many
        }
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        self.update_verb(
            instance=instance,
            user=self.request.user,
            expected_version=self.expected_version,
            request=self.request,
            m2m=m2m,
        )

    def answer_verb(self, record, payload_class, run, *, status_code: int = status.HTTP_200_OK):
        """Validate the request body with ``payload_class``, then ``run(**data)``: a service verb, called as the
        web page calls it. Its refusals answer 400 with its messages, a concurrent change 409; otherwise the
        record as it now stands."""
        payload = payload_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        try:
            run(**payload.validated_data)
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc
        except VersionConflict:
            return Response({"detail": _("This record was changed by someone else.")}, status=status.HTTP_409_CONFLICT)
        record.refresh_from_db()
        return Response(self.get_serializer(record).data, status=status_code)

    def get_object(self):
        if self.request.method in {"PUT", "PATCH", "DELETE"}:
            # Writes look the record up in the 'change' scope: out of it the answer is 404.
            return scoped_object(self.queryset.model, self.request.user, self.kwargs.get("pk"))
        return super().get_object()

    def destroy(self, request, *args, **kwargs):
        record_delete(instance=self.get_object(), user=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


def verb_action(verb, *, scope: str = "change", key_field: str = "", status_code=200):
    """An API action ``POST <id>/<verb>/`` of a :class:`RecordViewSet` that runs a declared verb (core.verbs.Verb)
    as the web page does, its request body the verb's values (the serializer built from its form), described in
    the API schema by the service's docstring. The record is looked up in the user's ``scope`` (``"change"``
    unless given; by id, or by ``key_field`` too), 404 outside it; the answer is :meth:`RecordViewSet.answer_verb`'s
    (``status_code`` on success)."""

    def run(self, request, pk=None):
        model = self.queryset.model
        found = scoped_object(model, request.user, pk, action=scope, key_field=key_field)

        def call(**values):
            return verb.run(found, keyword=model._meta.model_name, user=request.user, values=values, request=request)

        return self.answer_verb(found, verb.serializer_class, call, status_code=status_code)

    run.__name__, run.__doc__ = verb.name, verb.service.__doc__
    detail_action = action(detail=True, methods=["post"], url_path=verb.slug)
    return extend_schema(request=verb.serializer_class)(detail_action(run))
