"""Choices of the partners app: kinds of partner, relationship and interaction, and the stages a
relationship passes through (DOMAIN.md, "Relationships")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    """A foreign locality, or one of the kinds of foreign organisation the documents name."""

    LOCALITY = "locality", _("Foreign locality")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    NGO = "ngo", _("Foreign non-governmental organisation")
    GOVERNMENT_AGENCY = "government_agency", _("Government or state agency")
    EMBASSY = "embassy", _("Embassy or consulate")
    COMPANY = "company", _("Company")
    SCHOOL = "school", _("University or school")
    ASSOCIATION = "association", _("Association")


class LocalityLevel(models.TextChoices):
    """The level of a foreign locality in its country."""

    PROVINCE = "province", _("Province, state, prefecture or region")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")
    COMMUNE = "commune", _("Commune or village")
    OTHER = "other", _("Other level")


class AliasLanguage(models.TextChoices):
    """The language a spelling of a partner's name is written in."""

    VIETNAMESE = "vi", _("Vietnamese")
    ENGLISH = "en", _("English")
    ORIGINAL = "original", _("Original language")
    OTHER = "other", _("Other or unknown")


class RelationshipKind(models.TextChoices):
    """What the two sides call their relationship."""

    TWINNING = "twinning", _("Twinning")
    SPECIAL_FRIENDSHIP = "special_friendship", _("Special friendship")
    FRIENDSHIP_COOPERATION = "friendship_cooperation", _("Friendship and cooperation")
    COOPERATION = "cooperation", _("Cooperation")
    DECENTRALISED = "decentralised", _("Decentralised cooperation")


class RelationshipStatus(models.TextChoices):
    """The stages a relationship moves through; a relationship's status has a dated history."""

    EXPLORING = "exploring", _("Exploring")
    GOODWILL_EXCHANGED = "goodwill_exchanged", _("Goodwill exchanged")
    NEGOTIATING = "negotiating", _("Negotiating")
    ESTABLISHED = "established", _("Established")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")
    POSTPONED = "postponed", _("Postponed")


class InteractionKind(models.TextChoices):
    """What happened between the two sides: the timeline of a relationship."""

    LETTER_SENT = "letter_sent", _("Letter sent")
    LETTER_RECEIVED = "letter_received", _("Letter received")
    VISIT_OUT = "visit_out", _("Visit abroad")
    VISIT_IN = "visit_in", _("Visit to Viet Nam")
    ONLINE_MEETING = "online_meeting", _("Online meeting")
    MEETING_IN_VIETNAM = "meeting_in_vietnam", _("Meeting in Viet Nam")
    PROPOSAL = "proposal", _("Proposal")
    INVITATION = "invitation", _("Invitation")
    POSTPONEMENT = "postponement", _("Postponement")
    SIGNING = "signing", _("Signing")
    EVENT = "event", _("Event")
    AID = "aid", _("Aid or gift")
    INFORMATION_EXCHANGE = "information_exchange", _("Information exchange")


# Statuses in which a relationship exists formally (a signed agreement, or its implementation).
FORMAL_STATUSES = frozenset({RelationshipStatus.ESTABLISHED, RelationshipStatus.ACTIVE})
