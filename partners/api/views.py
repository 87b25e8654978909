"""API of the partners app: the registries, the name resolver, merging, spellings and status steps. The
verbs call the same services as the web pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import RecordViewSet, api_errors, scoped_object, verb_action
from partners import registries
from partners.api import serializers as partner_serializers
from partners.models import Partner
from partners.resolve import resolve
from partners.services import (
    partner_merge,
)
from partners.verbs import ADD_ALIAS, CHANGE_STATUS

MAX_NAME = 500


class PartnerViewSet(RecordViewSet):
    """Foreign partners: a shared catalogue that every user with a role reads."""

    record_type = registries.PARTNERS
    serializer_class = partner_serializers.PartnerSerializer
    list_related = ("owner", "country", "subdivision", "parent")
    list_prefetch = ("fields", "aliases")

    def _changeable(self, lookup) -> Partner:
        return scoped_object(Partner, self.request.user, lookup, key_field="key")

    @extend_schema(
        request=inline_serializer("MergeRequest", {"remove": serializers.CharField()}),
        responses=partner_serializers.PartnerSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge the partner named by ``remove`` (id or key) into this one: its links move here, its names
        become this partner's spellings, it goes to the trash."""
        keep = self._changeable(pk)
        if not request.data.get("remove"):
            raise ValidationError({"remove": [_("Name the partner to merge into this one (id or key).")]})
        remove = self._changeable(request.data.get("remove"))
        try:
            kept = partner_merge(keep=keep, remove=remove, user=request.user, request=request)
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc
        return Response(self.get_serializer(kept).data)

    aliases = verb_action(ADD_ALIAS, key_field="key", status_code=201)


# What a candidate in the resolver's answer shows (its name, key, country and address) and what resolve() reads.
RESOLVE_FIELDS = ("key", "name_vi", "name_en", "name_original", "deleted_at", "country__iso2")


class ResolveView(APIView):
    """``GET /api/v1/partners/resolve/?name=...&country=..``: candidate partners for a written name, with
    scores from 0 to 100, best first. Any spelling met in documents finds the same partner."""

    @extend_schema(
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, required=True, description=_("The name as written")),
            OpenApiParameter("country", OpenApiTypes.STR, description=_("ISO 3166-1 alpha-2 code")),
            OpenApiParameter("limit", OpenApiTypes.INT, description=_("At most this many candidates (1-50)")),
        ],
        responses=inline_serializer(
            "ResolveResult",
            {
                "name": serializers.CharField(),
                "candidates": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        name = request.query_params.get("name", "")
        country = request.query_params.get("country", "") or None
        errors = {}
        if not name.strip():
            errors["name"] = [_("Give the name to resolve.")]
        elif len(name) > MAX_NAME:
            errors["name"] = [_("A name has at most %(n)s characters.") % {"n": MAX_NAME}]
        elif any(ord(char) < 32 for char in name):
            errors["name"] = [_("The name contains control characters.")]
        if country is not None and not (len(country) == 2 and country.isalpha()):
            errors["country"] = [_("Give the country as a two-letter ISO code.")]
        try:
            limit = min(max(int(request.query_params.get("limit", 10)), 1), 50)
        except (TypeError, ValueError):
            errors["limit"] = [_("The limit is a whole number.")]
        if errors:
            raise ValidationError(errors)
        # Only the partners the user may see, read in the same query as the candidates, and only the columns the
        # answer shows: compiling and reading the other forty took a sixth of the request.
        among = Partner.objects.restrict(request.user).only(*RESOLVE_FIELDS)
        candidates = resolve(name, country=country, limit=limit, among=among)
        return Response(
            {
                "name": name,
                "candidates": [
                    {
                        "id": c.partner.pk,
                        "key": c.partner.key,
                        "name": str(c.partner),
                        "country": c.partner.country.iso2 if c.partner.country_id else None,
                        "score": round(c.score, 1),
                        "matched": c.matched,
                        "url": c.partner.get_absolute_url(),
                    }
                    for c in candidates
                ],
            }
        )


class RelationshipViewSet(RecordViewSet):
    """Relationships between Vietnamese units and partners, with their dated status history."""

    record_type = registries.RELATIONSHIPS
    serializer_class = partner_serializers.RelationshipSerializer
    list_related = ("owner", "partner", "lead_organisation")
    list_prefetch = ("fields", "status_history")

    change_status = verb_action(CHANGE_STATUS)


class InteractionViewSet(RecordViewSet):
    """The timeline of a relationship: visits, letters, meetings, with their sources."""

    record_type = registries.INTERACTIONS
    serializer_class = partner_serializers.InteractionSerializer
    list_related = ("owner", "relationship")


class ContactViewSet(RecordViewSet):
    """Contact points at partners; email, telephone and notes are masked for those who may not see them."""

    record_type = registries.CONTACTS
    serializer_class = partner_serializers.ContactSerializer
    list_related = ("owner", "partner")
