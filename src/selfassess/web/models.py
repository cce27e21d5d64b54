"""What the application stores: rounds, trusts, who coordinates them, respondents and their answers.

A respondent is one person's questionnaire: reached by an invitation link (derived from the server's secret and
the invitation's id and link version, so the database alone holds no link; see services.invitations), or typed
in from paper, or imported from a file. Answers are saved page by page and count in the reports once
the respondent has submitted.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from selfassess.framework import Framework, framework_from_text

_FRAMEWORKS: dict[tuple[object, object], Framework] = {}


def default_reminder_days() -> list[int]:
    return [7, 2]


LINK_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def new_link_id() -> str:
    """An invitation's id in its link: 12 random base-36 characters (62 bits), kept with the invitation and in
    a round's export, so that a restored round's links are the same (the link's secret part is its HMAC)."""
    # One draw below 36**12, written in base 36: the same ids as twelve draws of a character, at a twelfth of
    # the cost (an import makes thousands).
    n, digits = secrets.randbelow(len(LINK_ID_ALPHABET) ** 12), []
    for _ in range(12):
        n, digit = divmod(n, len(LINK_ID_ALPHABET))
        digits.append(LINK_ID_ALPHABET[digit])
    return "".join(digits)


class Round(models.Model):
    name = models.CharField(max_length=80, unique=True)
    framework_source = models.TextField(help_text="the framework file (YAML) the round runs on")
    opens_on = models.DateField()
    closes_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Counts changes to which answers count that leave the submitted count and times as they were (a link
    # revoked or reinstated), so that the reports' state (services.builds.data_version) moves with them.
    revision = models.PositiveIntegerField(default=0)
    # The earlier round its reports say what changed since (contract 3c), if any.
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="later_rounds")
    # Reminders go by themselves this many days before the round closes (services.reminders), to everyone
    # e-mailed who has not submitted.
    reminder_days = models.JSONField(default=default_reminder_days)
    # The organisations' attribute whose values make the round's benchmark groups (contract 3d); blank: none.
    group_attribute = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def framework(self) -> Framework:
        """The round's framework, parsed once per process: a round's framework never changes once made, so
        pages that defer `framework_source` (respondents' pages) never fetch its text again."""
        key = (self.pk, self.created_at)
        found = _FRAMEWORKS.get(key)
        if found is None:
            found = framework_from_text(self.framework_source, f"round {self.name}")
            if len(_FRAMEWORKS) > 100:
                _FRAMEWORKS.clear()
            _FRAMEWORKS[key] = found
        return found

    @property
    def assessment(self) -> str:
        """The round as sentences name it: "the <this> is open". Its name, with "self assessment" after it unless
        the name says so already ("Spring 2027 self assessment", not "... self assessment self assessment")."""
        return self.name if "self assessment" in self.name.lower() else f"{self.name} self assessment"

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.closed_at is None and self.opens_on <= today <= self.closes_on

    @property
    def opens_after_today(self) -> bool:
        """Not open yet (rather than closed): it says when it opens."""
        return self.closed_at is None and timezone.localdate() < self.opens_on


class Organisation(models.Model):
    """A local partnership that lasts from round to round, known by a stable code; each round it takes part in
    is a Trust row (its participation), and its coordinators carry over from one to the next."""

    code = models.CharField(max_length=80, unique=True, help_text="the id used in files, the same every round")
    name = models.CharField(max_length=200)
    # What the administrator records about it (region, type, size band...): {attribute: value}, both text. A
    # round's benchmark groups are made by one of these (Round.group_attribute).
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Trust(models.Model):
    """An organisation's taking part in one round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="trusts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    code = models.CharField(max_length=80, help_text="the trust id used in files")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="trust_code_unique_in_round")]

    def __str__(self) -> str:
        return self.name


class Coordinator(models.Model):
    """A user who coordinates a trust: a trust may have several, and one person may coordinate several trusts
    (in one round or many), working on one at a time. National administrators are staff users."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinates")
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="coordinators")
    added_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["trust__round__created_at", "trust__code"]
        constraints = [models.UniqueConstraint(fields=["user", "trust"], name="one_coordinator_row_per_trust")]


class RespondentQuerySet(models.QuerySet["Respondent"]):
    def counted(self) -> RespondentQuerySet:
        """The respondents whose answers count in reports: submitted, and not revoked."""
        return self.filter(submitted_at__isnull=False, revoked_at__isnull=True)

    def listed(self) -> RespondentQuerySet:
        """The respondents a trust's totals count: all but revoked invitations that were never started."""
        return self.exclude(revoked_at__isnull=False, started_at__isnull=True)


class Respondent(models.Model):
    """One person's questionnaire. Reached online by an invitation, whose label and e-mail address are the
    coordinator's to help them chase (never shown in any report); or typed in from paper; or imported."""

    ONLINE, PAPER, IMPORTED = "online", "paper", "imported"
    NOT_STARTED, IN_PROGRESS, SUBMITTED, REVOKED = "not started", "in progress", "submitted", "revoked"
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="respondents")
    code = models.CharField(max_length=80, help_text="the respondent id used in files")
    # Links made before links were derived (migration 0008) were random tokens of which only this hash is kept:
    # such a link keeps working until the invitation is reissued or revoked, which clear it.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The link is derived from these (services.invitations): the id it carries, and a version that moves on
    # when a link is deliberately ended (reissued or revoked).
    link_id = models.CharField(max_length=12, unique=True, default=new_link_id)
    link_version = models.PositiveIntegerField(default=1)
    sector = models.CharField(max_length=80, blank=True)
    audience = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=10, default=ONLINE)
    label = models.CharField(max_length=100, blank=True, help_text="the coordinator's name for the invitation")
    email = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    last_active_at = models.DateTimeField(null=True, blank=True)
    section_reached = models.PositiveSmallIntegerField(default=0, help_text="the furthest section saved")
    submitted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="when a link was last e-mailed")

    objects = RespondentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["trust", "code"], name="respondent_code_unique_in_trust")]

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.revoked_at:
            return self.REVOKED
        if self.submitted_at:
            return self.SUBMITTED
        return self.IN_PROGRESS if self.started_at else self.NOT_STARTED


class Answer(models.Model):
    # No index of its own: the unique (respondent, question) index serves every look-up by respondent, and a
    # second index on the same column would only slow the bulk loading of answers.
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question = models.CharField(max_length=20)
    answer = models.CharField(max_length=10)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["respondent", "question"], name="one_answer_per_question")]


class EmailSend(models.Model):
    """One sending of invitations or reminders for a trust: when, which, how many. Never the links.

    A scheduled reminder is one sending per trust and reminder date (`reminder_on`, unique with the trust), so
    two workers finding it due make one."""

    INVITATION, REMINDER = "invitation", "reminder"
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="email_sends")
    kind = models.CharField(max_length=20)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.CharField(max_length=200)
    recipients = models.PositiveIntegerField(help_text="how many invitations the e-mails are for")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="when the sending finished")
    sent = models.PositiveIntegerField(default=0, help_text="how many the mail server accepted")
    site = models.CharField(max_length=200, blank=True, help_text="the address links start with")
    reminder_on = models.DateField(null=True, blank=True, help_text="the reminder date it was sent for, if scheduled")
    attempted_at = models.DateTimeField(null=True, blank=True, help_text="when a worker last took it up")
    note = models.CharField(max_length=300, blank=True, help_text="why nothing, or not everything, was sent")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "reminder_on"], name="one_scheduled_reminder_per_trust_and_date")
        ]


class EmailDelivery(models.Model):
    """One person's e-mail in one sending, recorded before it is handed to the mail server: a sending taken up
    again (its worker killed, or a second worker) skips everyone recorded, so nobody gets the same e-mail twice.
    `sent_at` is set once the server has accepted it; a record without it is an e-mail that may not have gone."""

    send = models.ForeignKey(EmailSend, on_delete=models.CASCADE, related_name="deliveries")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="deliveries")
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["send", "respondent"], name="one_email_per_person_and_send")]


class AuditEvent(models.Model):
    """Who did what, when: set-up, invitations, imports, downloads. Never an answer."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=200, help_text="a user's name, 'respondent link', or 'command line'")
    action = models.CharField(max_length=80)
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.SET_NULL)
    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.SET_NULL)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class ReportBuild(models.Model):
    """One build of report files for one state of the data, made by a task worker, never in a request.

    `key` names what is built and for which state ("national:12:-:3f2a..."); it is unique, so two requests for
    the same state share one build. Each attempt at a build writes its files under a storage folder of its
    own, `location`, and the build is served only once it is DONE, so a build killed half way leaves nothing
    that could be served.
    """

    NATIONAL, TRUST_PDF, PAPER_FORM, TRUST_PDFS = "national", "trust-pdf", "paper-form", "trust-pdfs"
    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    key = models.CharField(max_length=200, unique=True)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="report_builds")
    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=20)
    version = models.CharField(max_length=64)
    status = models.CharField(max_length=10, default=PENDING)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # How far a build has gone (for the waiting page), and what a complete one holds (for the notice shown when
    # it is served while a newer one is made): the questionnaires counted, as they stood at `data_as_at`.
    progress = models.CharField(max_length=200, blank=True)
    responses = models.PositiveIntegerField(null=True, blank=True)
    data_as_at = models.DateTimeField(null=True, blank=True)
    # A national build is served (its pages) before its PDF and workbook are made; this is when they were.
    pdf_done_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(
        max_length=300, blank=True, help_text="the storage folder of this build's files, once begun"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["round", "kind", "status"])]


class WorkerBeat(models.Model):
    """When each task worker was last seen (it says so every REMINDER_CHECK_SECONDS), for /healthz."""

    worker = models.CharField(max_length=200, unique=True, help_text="host name and process id")
    seen_at = models.DateTimeField()
