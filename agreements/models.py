"""International agreements of local bodies, through the procedure of Law 70/2020/QH14 on International
Agreements and Decree 64/2021/NĐ-CP: the agreement, the written opinions asked for before signing, the plan
that implements it, its evaluations and documents, and the typed paragraphs of the annual report.

An agreement belongs to the Vietnamese unit that signs it (its owner). Its status moves only through the
services (agreements.services), following the table in agreements.workflow.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements import workflow
from agreements.choices import (
    AgreementKind,
    AgreementStatus,
    ConsultedBody,
    DocumentKind,
    ItemStatus,
    Opinion,
    Rating,
    RelationshipEffect,
    SignatoryLevel,
    SigningMode,
)
from core.choices import DatePrecision
from core.models import ChildModel, Field, RegistryModel, Unit, in_order, optional_link, unique_live
from core.periods import Period
from partners.models import Partner, Relationship


class Agreement(RegistryModel):
    """An international agreement signed (or to be signed) by a Vietnamese local body with one or more
    foreign parties: its kind, signatory and level, content flags that decide whom to consult, dates,
    place and mode of signing, status, and the relationship it establishes or renews."""

    title = models.CharField(_("title"), max_length=500)
    title_original = models.CharField(_("title in the original language"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=AgreementKind.choices, default=AgreementKind.AGREEMENT)
    signatory_level = models.CharField(
        _("signatory level"), max_length=24, choices=SignatoryLevel.choices, default=SignatoryLevel.PROVINCIAL
    )
    signatory = models.CharField(
        _("signatory"), max_length=255, blank=True, help_text=_("Who signs for the Vietnamese side, with the title.")
    )
    partners = models.ManyToManyField(Partner, verbose_name=_("foreign parties"), related_name="agreements")
    fields = models.ManyToManyField(Field, verbose_name=_("fields of cooperation"), blank=True, related_name="+")
    concerns_defence = models.BooleanField(_("concerns defence"), default=False)
    concerns_security = models.BooleanField(_("concerns security"), default=False)
    concerns_border = models.BooleanField(_("concerns the border"), default=False)
    concerns_investment = models.BooleanField(_("concerns investment"), default=False)
    is_sensitive = models.BooleanField(_("sensitive content"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT, editable=False
    )
    planned_year = models.PositiveSmallIntegerField(
        _("planned for the year"), null=True, blank=True, help_text=_("The year in which signing is planned.")
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_precision = models.CharField(
        _("signing date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place_signed = models.CharField(_("place of signing"), max_length=255, blank=True)
    signing_mode = models.CharField(_("mode of signing"), max_length=24, choices=SigningMode.choices, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField(_("duration (years)"), null=True, blank=True)
    renewed_on = models.DateField(_("renewed on"), null=True, blank=True)
    terminated_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    relationship = optional_link(Relationship, _("relationship"), related_name="agreements", on_delete=models.SET_NULL)
    relationship_effect = models.CharField(
        _("effect on the relationship"),
        max_length=16,
        choices=RelationshipEffect.choices,
        default=RelationshipEffect.ESTABLISHES,
    )
    # The decision of the competent People's Committee to sign (Law 70/2020/QH14, Ch. II; Decree 64/2021/NĐ-CP,
    # Art. 5), recorded by the approval step; the signing cannot come before it.
    decision_number = models.CharField(_("number of the decision to sign"), max_length=64, blank=True, editable=False)
    decision_on = models.DateField(_("date of the decision to sign"), null=True, blank=True, editable=False)
    decision_signer = models.CharField(_("signer of the decision to sign"), max_length=255, blank=True, editable=False)
    # The bodies whose written opinion had not come by the decision, as the decision found them.
    approval_override_bodies = models.JSONField(
        _("opinions not received by the decision"), default=list, blank=True, editable=False
    )
    approval_override_reason = models.TextField(
        _("reason for deciding without every opinion"), blank=True, editable=False
    )
    approval_override_by = optional_link(
        settings.AUTH_USER_MODEL, _("decided without every opinion by"), on_delete=models.SET_NULL, editable=False
    )
    copy_sent_on = models.DateField(
        _("copy sent to the Ministry of Foreign Affairs on"), null=True, blank=True, editable=False
    )
    override_reason = models.TextField(_("reason for signing without every opinion"), blank=True, editable=False)
    override_by = optional_link(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("title", "title_original", "signatory", "place_signed", "notes")
    partial_dates = {"signed_on": "signed_precision"}
    # Counted in the reports of the period it is signed in (agreements.indicators); frozen with them (issue 20,
    # item 3).
    period_date = "signed_on"
    # Its procedure runs for years after the signature (entry into force, the copy sent, expiry): those steps change
    # no figure of the signing period, and are not refused when that period's report is sent; a step that moves the
    # signing date is (core.services.record_step).
    freeze_steps = False

    class Meta:
        verbose_name = _("international agreement")
        verbose_name_plural = _("international agreements")
        # Signed ones first, newest first, then the planned ones: the same order on PostgreSQL and SQLite,
        # which put empty dates at opposite ends.
        ordering = [
            models.F("signed_on").desc(nulls_last=True),
            models.F("planned_year").desc(nulls_last=True),
            "title",
            "pk",
        ]
        constraints = [
            in_order("decision_on", "signed_on", _("An agreement cannot be signed before the decision to sign it.")),
            in_order("signed_on", "in_force_on", _("An agreement cannot enter into force before it is signed.")),
            in_order("in_force_on", "expires_on", _("An agreement cannot expire before it enters into force.")),
        ]
        indexes = [models.Index(fields=["status", "signed_on"], name="agreement_status_signed_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_on(self) -> dt.date | None:
        """The expiry date: as stated, or the entry into force plus the duration."""
        if self.expires_on:
            return self.expires_on
        if self.in_force_on and self.duration_years:
            try:
                return self.in_force_on.replace(year=self.in_force_on.year + self.duration_years)
            except ValueError:  # 29 February
                return self.in_force_on.replace(year=self.in_force_on.year + self.duration_years, day=28)
        return None

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.signed_on and self.proposed_on and self.signed_on < self.proposed_on:
            errors["signed_on"] = _("An agreement cannot be signed before it was proposed.")
        if self.decision_on and self.proposed_on and self.decision_on < self.proposed_on:
            errors["decision_on"] = _(
                "Date of the decision: the decision to sign (%(decision)s) cannot come before the proposal "
                "(%(proposed)s)."
            ) % {"decision": f"{self.decision_on:%d/%m/%Y}", "proposed": f"{self.proposed_on:%d/%m/%Y}"}
        if self.signed_on and self.decision_on and self.signed_on < self.decision_on:
            # Law 70/2020/QH14, Ch. II: the agreement is signed after the competent People's Committee decides.
            errors["signed_on"] = _(
                "Signing date: the agreement cannot be signed (%(signed)s) before the decision to sign it "
                "(%(decision)s, decision %(number)s) (Law 70/2020/QH14, Ch. II)."
            ) % {
                "signed": f"{self.signed_on:%d/%m/%Y}",
                "decision": f"{self.decision_on:%d/%m/%Y}",
                "number": self.decision_number or "—",
            }
        if self.terminated_on and self.signed_on and self.terminated_on < self.signed_on:
            errors["terminated_on"] = _(
                "End date: an agreement cannot end (%(ended)s) before it is signed (%(signed)s)."
            ) % {
                "ended": f"{self.terminated_on:%d/%m/%Y}",
                "signed": f"{self.signed_on:%d/%m/%Y}",
            }
        if self.in_force_on and self.signed_on and self.in_force_on < self.signed_on:
            errors["in_force_on"] = _("An agreement cannot enter into force before it is signed.")
        if self.expires_on and self.in_force_on and self.expires_on < self.in_force_on:
            errors["expires_on"] = _("An agreement cannot expire before it enters into force.")
        if self.expires_on and self.signed_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("An agreement cannot expire before it is signed.")
        if self.relationship_id and self.owner_id and self.relationship.deleted_at is not None:
            errors["relationship"] = _("This relationship is in the trash.")
        if errors:
            raise ValidationError(errors)


class Consultation(RegistryModel):
    """A written opinion asked for before signing (Law 70/2020/QH14; Decree 64/2021/NĐ-CP, Art. 5): to whom,
    when it was sent, when it is due, when the reply came, and what it says. Owned by the agreement's unit."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="consultations"
    )
    body = models.CharField(_("consulted body"), max_length=32, choices=ConsultedBody.choices)
    body_name = models.CharField(_("name of the body"), max_length=255, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    due_on = models.DateField(_("reply due on"), null=True, blank=True, editable=False)
    reply_on = models.DateField(_("reply received on"), null=True, blank=True, editable=False)
    opinion = models.CharField(_("opinion"), max_length=24, choices=Opinion.choices, blank=True, editable=False)
    opinion_text = models.TextField(_("text of the opinion"), blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("body_name", "notes", "opinion_text")

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        # In the order they were asked: the workflow asks the bodies in the order the texts list them.
        ordering = ["agreement", "pk"]

    def __str__(self) -> str:
        body = f"{self.get_body_display()} ({self.body_name})" if self.body_name else self.get_body_display()
        return f"{body} – {self.agreement}"

    @property
    def answered(self) -> bool:
        return bool(self.opinion)

    def clean(self) -> None:
        # The opinions belong to the agreement's unit: scope follows it.
        if self.agreement_id:
            self.owner_id = self.agreement.owner_id
        super().clean()
        if self.body == ConsultedBody.OTHER and not self.body_name:
            raise ValidationError({"body_name": _("Name the body consulted.")})
        # A body is asked as it exists on the date it is asked (Resolution 176/2025/QH15; Decree 45/2025/NĐ-CP).
        workflow.check_body_on(self.body, self.sent_on)
        if self.reply_on and self.sent_on and self.reply_on < self.sent_on:
            raise ValidationError({"reply_on": _("A reply cannot come before the request was sent.")})


class ImplementationItem(ChildModel):
    """One activity of the plan that implements an agreement: who leads it, by when, how far it got."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="implementation_items"
    )
    activity = models.CharField(_("activity"), max_length=500)
    lead_unit = optional_link(Unit, _("lead unit"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    result = models.TextField(_("result"), blank=True)
    scope_parent = "agreement"
    search_fields = ("activity", "result")

    class Meta:
        verbose_name = _("implementation activity")
        verbose_name_plural = _("implementation plan")
        ordering = ["agreement", "deadline", "pk"]

    def __str__(self) -> str:
        return self.activity


class Evaluation(ChildModel):
    """A periodic evaluation of how an agreement is implemented: what was done under it, as the unit writes it
    once (the annual agreements report quotes the latest of each year whole, in its section II), and a rating
    when one was given."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="evaluations"
    )
    on = models.DateField(_("date"))
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices, blank=True)
    assessment = models.TextField(_("assessment"))
    scope_parent = "agreement"
    search_fields = ("assessment",)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["agreement", "-on", "-pk"]

    def __str__(self) -> str:
        rating = self.get_rating_display()
        return f"{self.on:%d/%m/%Y} · {rating}" if rating else f"{self.on:%d/%m/%Y}"


class AgreementDocument(ChildModel):
    """A document of the agreement's file: the draft, an opinion, the signed text, a translation. Uploads pass
    the foundation's gate (content, size, macros, state-secret stamps)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="agreements/%Y/")
    scope_parent = "agreement"
    search_fields = ("title",)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # In the order the file grew: the draft, the opinions, the signed text, its translation.
        ordering = ["agreement", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class AgreementReport(RegistryModel):
    """The typed parts of a unit's annual report on international agreements (the lists and counts are
    computed from the registry each time it is rendered): number, place and date, the assessment of
    compliance with the procedure, the overview of implementation, the requests to the Ministry, the
    recipients and the signature block."""

    period = models.CharField(_("year"), max_length=16, help_text=_("The year reported on, e.g. 2013."))
    number = models.CharField(_("number and symbol"), max_length=64, default="…/BC-UBND")
    place = models.CharField(_("place"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    responds_to = models.CharField(
        _("in answer to"), max_length=500, blank=True, help_text=_("The request this report answers.")
    )
    compliance_assessment = models.TextField(_("assessment of compliance with the procedure"), blank=True)
    implementation_overview = models.TextField(_("overview of implementation"), blank=True)
    shortcomings = models.TextField(_("shortcomings and causes"), blank=True)
    requests = models.TextField(_("requests to the Ministry of Foreign Affairs"), blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    signature_authority = models.CharField(
        _("signing on behalf of"), max_length=200, default="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"
    )
    signer_title = models.CharField(_("title of the signer"), max_length=200, default="PHÓ CHỦ TỊCH")
    signer_name = models.CharField(_("name of the signer"), max_length=200, blank=True)

    search_fields = ("period", "number", "requests")

    class Meta:
        verbose_name = _("annual agreements report")
        verbose_name_plural = _("annual agreements reports")
        # One report a unit a year: the unique constraint makes this order total.
        ordering = ["-period", "owner"]
        constraints = [unique_live("owner", "period", message=_("This unit already has a report for this year."))]

    def __str__(self) -> str:
        return f"{self.owner} – {self.period}"

    def clean(self) -> None:
        super().clean()
        if self.period:
            try:
                self.period = Period.parse(self.period).label
            except ValidationError as exc:
                raise ValidationError({"period": exc.messages}) from exc
