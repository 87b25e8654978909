"""Choices of the core reference data."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """Kinds of Vietnamese unit. Provinces and communes are administrative units (Law on Organisation of
    Local Government 2025); the others are organisations that own records."""

    PROVINCE = "province", _("Province")
    MUNICIPALITY = "municipality", _("Centrally-run city")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    PARTY_COMMITTEE = "party_committee", _("Party Committee")
    DEPARTMENT = "department", _("Department")
    AGENCY = "agency", _("Agency")
    ASSOCIATION = "association", _("Association")
    CENTRAL_BODY = "central_body", _("Central body")


class UnitLevel(models.TextChoices):
    """Level of a unit in the tree, for filters (``?level=province``)."""

    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    ORGANISATION = "organisation", _("Organisation")


class SubdivisionKind(models.TextChoices):
    """What a foreign country calls its subdivisions (ISO 3166-2 categories, as the reference data gives them)."""

    PROVINCE = "province", _("Province")
    STATE = "state", _("State")
    PREFECTURE = "prefecture", _("Prefecture")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")
    SPECIAL_CITY = "special_city", _("Special city")
    AUTONOMOUS_REGION = "autonomous_region", _("Autonomous region")
    CAPITAL = "capital", _("Capital")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    OTHER = "other", _("Other")


class Qualifier(models.TextChoices):
    """How exactly a declared figure is stated in its source document."""

    EXACT = "exact", _("exactly")
    # The words the documents use before a figure: "khoảng", "gần", "hơn" or "trên", "khoảng trên".
    ABOUT = "about", _("about")
    NEARLY = "nearly", _("nearly")
    AT_LEAST = "at_least", _("at least")
    MORE_THAN = "more_than", _("more than")
    ABOUT_MORE_THAN = "about_more_than", _("about more than")
    RANGE = "range", _("range")


class JobStatus(models.TextChoices):
    """Where a long piece of work (an import, a report) stands; the page polls it for its progress bar.
    A job goes from queued to running once (core.jobs.job_run claims it, so a task delivered twice runs
    once), then to done, or to failed with the error kept on the job."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AuditAction(models.TextChoices):
    """What an audit entry records: sign-ins, refusals, every service verb, exports and views of personal data."""

    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    DENIED = "denied", _("Permission denied")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Move to trash")
    RESTORE = "restore", _("Restore")
    PURGE = "purge", _("Purge")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    VIEW_PERSONAL = "view_personal", _("View of personal data")
    VERB = "verb", _("Action")
    UPLOAD_REFUSED = "upload_refused", _("Upload refused")


class DatePrecision(models.TextChoices):
    """How much of a date the source states: documents often give only "4/2013" or "2013"."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


ADMINISTRATIVE_KINDS = frozenset({"province", "municipality", "district", "commune", "ward", "special_zone"})
PROVINCE_KINDS = frozenset({"province", "municipality"})
ORGANISATION_KINDS = frozenset(
    {"peoples_committee", "party_committee", "department", "agency", "association", "central_body"}
)


def vietnamese_label(choices: type[models.Choices], value) -> str:
    """The label of ``value`` in Vietnamese, whatever the reader's language: a Vietnamese document (the annual
    report) says what the screen says, from the same choices (issue 18, item 8). A value outside the choices is
    returned as it is."""
    try:
        label = choices(value).label
    except ValueError:
        return value
    with translation.override("vi"):
        return str(label)
