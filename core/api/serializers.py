"""Base serializers: writes validate exactly as the web forms do (the model's own rules)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from core.forms import choices_for
from core.models import DeclaredFigure, Unit


def record_fields(*names: str) -> list[str]:
    """A record serializer's fields: its id, ``names``, then its version and timestamps."""
    return ["id", *names, "version", "created_at", "updated_at"]


class RecordSerializer(serializers.ModelSerializer):
    """``version`` is read-only (sent back in ``If-Match``); the owner is a unit key limited to the
    units the user may change; ``validate`` runs the model's ``full_clean``."""

    version = serializers.IntegerField(read_only=True)
    # A record owned through its parent (an agreement's consultation, a relationship's interaction) names the
    # parent's field here: the parent must be one the user may change, and the record takes its owner.
    owner_from: str = ""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        for field in fields.values():
            # Every choice of a record passes its policy, as on the web forms (core.forms.choices_for).
            chosen = getattr(field, "child_relation", field)  # a many-valued field chooses through its child
            if not field.read_only and getattr(chosen, "queryset", None) is not None:
                chosen.queryset = choices_for(chosen.queryset, request.user)
        return fields

    def validate(self, attrs):
        if self.owner_from and attrs.get(self.owner_from) is not None:
            attrs["owner"] = attrs[self.owner_from].owner
        attrs = super().validate(attrs)
        model = self.Meta.model
        plain = {k: v for k, v in attrs.items() if not model._meta.get_field(k).many_to_many}
        instance = self.instance or model()
        candidate = model(**{**{f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}})
        if self.instance is not None:
            # The candidate stands for the stored row: unique checks must not count it twice.
            candidate._state.adding = False
            candidate._state.db = self.instance._state.db
        for key, value in plain.items():
            setattr(candidate, key, value)
        try:
            candidate.full_clean(exclude=[f.name for f in model._meta.concrete_fields if not f.editable])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        if "period" in plain:
            attrs["period"] = candidate.period
        return attrs


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True)
    root = serializers.SlugRelatedField(slug_field="key", read_only=True)
    successors = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    predecessors = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "key",
            "code",
            "name",
            "full_name",
            "name_en",
            "kind",
            "level",
            "parent",
            "root",
            "is_legacy",
            "valid_from",
            "valid_to",
            "successors",
            "predecessors",
            "version",
        ]


def reference_serializer(model, fields: tuple[str, ...], slugs: dict[str, str]) -> type[serializers.ModelSerializer]:
    """A read-only serializer of reference data; related rows are written by their code (``slugs``)."""
    attrs = {name: serializers.SlugRelatedField(slug_field=slug, read_only=True) for name, slug in slugs.items()}
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": ["id", *fields, "version"]})
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


class DeclaredFigureSerializer(RecordSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())

    class Meta:
        model = DeclaredFigure
        fields = record_fields(
            "owner",
            "indicator",
            "period",
            "value",
            "value_max",
            "qualifier",
            "source_document",
            "source_date",
            "quote",
            "notes",
        )
        read_only_fields = ["created_at", "updated_at"]
