"""The questionnaire for one respondent: which questions they see, saving a page, checking and submitting.

The framework decides everything: one page per practice, each question with its descriptors, questions of
stages meant for other audiences left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import dateformat, timezone

from selfassess.framework import Framework, Practice, Question
from selfassess.web.models import Answer, Respondent


class Closed(Exception):
    """The questionnaire can no longer be changed: submitted, or the round has closed."""


class NotOpenYet(Closed):
    """The round has not opened yet: the page says when it will."""


@dataclass(frozen=True)
class Page:
    number: int
    practice: Practice
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    checked: bool
    hint: str = ""  # what this score looks like for the question, where the framework says
    scored: bool = True  # the unscored answers ("not applicable"...) are set apart after an "or"


@dataclass(frozen=True)
class Asked:
    """A question as its page shows it: its number in the person's own sequence, its choices, the one given
    (if any) marked."""

    question: Question
    number: int
    choices: tuple[Choice, ...]


def page_form(framework: Framework, page: Page, answers: dict[str, str], numbers: dict[str, int]) -> list[Asked]:
    """The page's questions and choices, decided once per request (the template only prints them)."""
    return [
        Asked(
            q,
            numbers[q.id],
            tuple(
                Choice(
                    a.code,
                    a.label,
                    answers.get(q.id) == a.code,
                    q.descriptors.get(str(a.score), "") if a.score is not None else "",
                    a.score is not None,
                )
                for a in framework.scale
            ),
        )
        for q in page.questions
    ]


def numbering(pages_: list[Page]) -> dict[str, int]:
    """Each question's number in the person's own sequence (only the questions they are asked), from 1."""
    return {q.id: n for n, q in enumerate((q for p in pages_ for q in p.questions), start=1)}


@dataclass(frozen=True)
class Section:
    """A section's place in the person's task list."""

    page: Page
    answered: int

    @property
    def status(self) -> str:
        total = len(self.page.questions)
        if self.answered == 0:
            return "Not started"
        if self.answered >= total:
            return "Completed"
        return f"{self.answered} of {total} answered"


def sections(pages_: list[Page], answers: dict[str, str]) -> list[Section]:
    return [Section(p, sum(q.id in answers for q in p.questions)) for p in pages_]


def carry_on_at(pages_: list[Page], answers: dict[str, str]) -> tuple[Page, Question] | None:
    """The first question the person has not answered, in their own order; None when all are answered."""
    return next(((p, q) for p in pages_ for q in p.questions if q.id not in answers), None)


def pages(framework: Framework, audience: str) -> list[Page]:
    out = []
    for number, practice in enumerate(framework.practices, start=1):
        questions = tuple(q for q in practice.questions if audience in framework.stage(q.stage).audiences)
        out.append(Page(number, practice, questions))
    return out


def answers_of(respondent: Respondent) -> dict[str, str]:
    return dict(respondent.answers.values_list("question", "answer"))


def check_open(respondent: Respondent, locked: Respondent | None = None) -> None:
    """`locked`: the respondent's row as just read under its lock, for whether it has been submitted since the
    request began; the round's dates come with the respondent the request already has."""
    if (locked or respondent).submitted_at:
        raise Closed("You have already submitted your answers. Thank you.")
    round = respondent.trust.round
    if round.opens_after_today:
        raise NotOpenYet(
            f"This self assessment opens on {dateformat.format(round.opens_on, 'j F Y')}. "
            "Come back then: this link will work from that day."
        )
    if not round.is_open:
        raise Closed(f"The {round.name} round is closed, so answers can no longer be changed.")


def _lock(respondent: Respondent) -> Respondent:
    """The respondent's row, locked for this transaction: only what a save reads or writes."""
    return (
        Respondent.objects.select_for_update()
        .only("pk", "submitted_at", "started_at", "section_reached")
        .get(pk=respondent.pk)
    )


def _touch(locked: Respondent, section: int = 0, changed: tuple[str, ...] = ()) -> None:
    """Note on the locked row that the person was here just now (and the furthest section they have saved), for
    their coordinator's list: one UPDATE, with whatever else the save changed."""
    now = timezone.now()
    locked.started_at = locked.started_at or now
    locked.last_active_at = now
    locked.section_reached = max(locked.section_reached, section)
    locked.save(update_fields=["started_at", "last_active_at", "section_reached", *changed])


# A problem with what was posted: (the id of the field to go to, what to do), for the error summary's link and
# the message beside the field.
Problem = tuple[str, str]


def set_about_you(respondent: Respondent, sector: str, audience: str) -> list[Problem]:
    framework = respondent.trust.round.framework
    problems = []
    if sector not in framework.sector_ids:
        problems.append(("sector", "Select the sector you work in"))
    if audience not in framework.audience_ids:
        titles = [a.title[:1].lower() + a.title[1:] for a in framework.audiences]
        problems.append(("audience", f"Select your role ({' or '.join(titles)})"))
    if problems:
        return problems
    with transaction.atomic():
        locked = _lock(respondent)
        check_open(respondent, locked)
        locked.sector, locked.audience = sector, audience
        _touch(locked, changed=("sector", "audience"))
        # Answers to questions no longer shown (a change of audience) would be invisible: drop them.
        shown = {q.id for p in pages(framework, audience) for q in p.questions}
        locked.answers.exclude(question__in=shown).delete()
    respondent.refresh_from_db()
    return []


def save_page(respondent: Respondent, page: Page, posted: dict[str, str]) -> list[Problem]:
    """Save one page's answers (a blank leaves the question unanswered); returns problems, saving nothing then."""
    framework = respondent.trust.round.framework
    allowed = set(framework.answer_codes)
    chosen = {q.id: posted.get(q.id, "").strip().upper() for q in page.questions}
    problems = [
        (f"{q.id}-{framework.scale[0].code}", f"{q.id}: choose one of the answers, or none")
        for q in page.questions
        if chosen[q.id] and chosen[q.id] not in allowed
    ]
    if problems:
        return problems
    with transaction.atomic():
        # The respondent's row is locked, so two tabs saving the same page take turns: the page is replaced
        # whole (three statements, however many questions), never mixed.
        locked = _lock(respondent)
        check_open(respondent, locked)
        Answer.objects.filter(respondent=locked, question__in=list(chosen)).delete()
        Answer.objects.bulk_create(
            [
                Answer(respondent=locked, question=question, answer=answer)
                for question, answer in chosen.items()
                if answer
            ]
        )
        _touch(locked, page.number)
    return []


class NothingToSubmit(Exception):
    """No question has been answered: as a paper form with no answers, there is nothing to count."""


def submit(respondent: Respondent) -> None:
    with transaction.atomic():
        locked = _lock(respondent)
        check_open(respondent, locked)
        if not respondent.sector or not respondent.audience:
            raise Closed("Tell us your sector and role before submitting.")
        if not locked.answers.exists():
            raise NothingToSubmit("Answer at least one question before you submit")
        locked.submitted_at = timezone.now()
        locked.started_at = locked.started_at or locked.submitted_at
        locked.save(update_fields=["submitted_at", "started_at"])


def unanswered(framework: Framework, audience: str, answers: dict[str, str]) -> list[tuple[Page, Question]]:
    return [(p, question) for p in pages(framework, audience) for question in p.questions if question.id not in answers]
