from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    YEAR = "year", _("Yearly")
    HALF_YEAR = "half_year", _("Half-yearly and yearly")


class SubmissionStatus(models.TextChoices):
    """Where an expected unit's report stands in a period (issue 20, item 4)."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFTING = "drafting", _("Drafting")
    SUBMITTED = "submitted", _("Sent")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned")


class SubmissionFlag(models.TextChoices):
    """What is suspicious in a register row: imported and shown, never refused (CONTRACT.md, the register)."""

    RECEIVED_BEFORE_SENT = "received_before_sent", _("Received before it was sent")
    DUPLICATE = "duplicate", _("Unit listed more than once")
    UNIT_NOT_IN_PERIOD = "unit_not_in_period", _("Unit did not exist or did not report in this period")
    OUT_OF_ORDER = "out_of_order", _("Row out of order in the register")


class SubmissionSource(models.TextChoices):
    REGISTER = "register", _("Register kept outside the product")
    PRODUCT = "product", _("Sent through the product")


class ReportStatus(models.TextChoices):
    """A province's report on its way to the receiving body (issue 20, item 3): drafted by the foreign-affairs
    department, reviewed, approved by the leader, sent; then received, or returned with a reason."""

    DRAFTING = "drafting", _("Drafting")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    SUBMITTED = "submitted", _("Sent")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned")
