"""The `selfassess` command line (contract section 5).

Exit status: 0 success, 2 invalid input or usage, 1 anything else. Invalid input is reported one problem
per line on standard error, never as a traceback, and nothing is written.

Each command imports what it needs when it runs (Polars, SciPy, Django and WeasyPrint take most of a second
between them), so `--help` and `framework` answer at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfassess.errors import InvalidInput
from selfassess.text import NAME_LENGTH, counted, problem_with, shown

if TYPE_CHECKING:
    import polars as pl

    from selfassess.analysis import Cube
    from selfassess.framework import Framework
    from selfassess.reports import Groups
    from selfassess.reports.document import Cover

INVALID = 2
FAILED = 1


class UsageError(InvalidInput):
    """The command was asked for something it cannot do as asked."""


class Progress:
    """Says what a long command is doing, on standard error, when someone is watching a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"[{time.monotonic() - self.started:6.1f}s] {message}", file=sys.stderr, flush=True)


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a crash never leaves half a results file behind."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _framework(args: argparse.Namespace) -> Framework:
    from selfassess.framework import load_framework

    return load_framework(args.framework)


def cmd_framework(args: argparse.Namespace) -> int:
    from selfassess.framework import FrameworkError, builtin_frameworks, load_framework

    if args.list:
        for path, found in builtin_frameworks().items():
            print(f"{found.id:<20} {found.title} ({len(found.questions)} questions, {found.units}): {path}")
        return 0
    if args.action == "check":
        if not args.file:
            raise UsageError("say which file to check: selfassess framework check FILE")
        try:
            checked = load_framework(args.file)
        except FrameworkError as error:
            print(f"{args.file}: {len(error.problems)} problem{'s' if len(error.problems) != 1 else ''}")
            for problem in error.problems:
                print(f"  {problem}")
            return 2
        print(
            f"{args.file}: no problems. {checked.title} ({checked.id}): {len(checked.practices)} practices, "
            f"{len(checked.stages)} stages, {len(checked.audiences)} audiences, {len(checked.questions)} questions"
        )
        return 0
    framework = _framework(args)
    if args.json:
        print(json.dumps(framework.to_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"{framework.title} ({framework.id}): {len(framework.questions)} questions")
    for practice in framework.practices:
        ids = [q.id for q in practice.questions]
        print(f"  {practice.title}: {len(ids)} questions, {ids[0]} to {ids[-1]}")
    return 0


def previous_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--previous", metavar="EARLIER", help="an earlier round's responses, to report what changed")
    sub.add_argument(
        "--previous-framework",
        metavar="FILE",
        help="the earlier round's framework, if not the same (3c compares what both have)",
    )


def cmd_analyse(args: argparse.Namespace) -> int:
    from selfassess.analysis import build_cube, results_json
    from selfassess.analysis.statistics import results as statistics
    from selfassess.responses import read_responses

    progress = Progress()
    framework = _framework(args)
    groups = _groups(args)
    progress(f"reading and checking {args.file}")
    table = read_responses(args.file, framework)
    progress(f"{len(table):,} answers; counting and working out the statistics")
    cube = build_cube(table)
    results = statistics(cube) if not args.previous else _with_comparison(cube, args, progress)
    if groups is not None:
        progress(f"benchmark groups by {groups.attribute}")
        results["groups"] = groups.figures(cube, results)
    text = results_json(results)
    if args.json == "-":
        print(text)
    elif args.json:
        write_atomically(Path(args.json), text)
        progress(f"wrote {args.json}")
    if args.json != "-":
        print_summary(results, framework)
    return 0


def group_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--groups", metavar="GROUPS.csv", help="each trust's benchmark group: a CSV of trust,group")
    sub.add_argument(
        "--min-group-trusts",
        type=int,
        default=3,
        metavar="N",
        help="show a group's figures only where this many of its trusts have a mean (3; below 3 for checking only)",
    )


def _groups(args: argparse.Namespace) -> Groups | None:
    """The benchmark groups asked for, read and checked before anything else is (exit 2 on any problem)."""
    from selfassess.reports import Groups
    from selfassess.responses.groups import read_groups

    if args.min_group_trusts < 1:
        raise UsageError("--min-group-trusts must be a whole number of at least 1")
    if not args.groups:
        return None
    attribute, of = read_groups(args.groups)
    return Groups(attribute, of, args.min_group_trusts)


def _previous_framework(args: argparse.Namespace) -> Framework:
    from selfassess.framework import load_framework

    return load_framework(args.previous_framework) if args.previous_framework else _framework(args)


def _with_comparison(cube: Cube, args: argparse.Namespace, progress: Progress) -> dict[str, Any]:
    """The later round's results with the `comparison` block against the round in --previous."""
    from selfassess.analysis import build_cube, results
    from selfassess.analysis.comparison import compare
    from selfassess.responses import read_responses

    progress(f"reading and checking the earlier round, {args.previous}")
    earlier = read_responses(args.previous, _previous_framework(args))
    found = results(cube)
    progress("comparing the two rounds")
    found["comparison"] = compare(build_cube(earlier), cube, label=Path(args.previous).stem)
    return found


def calibrated_round(framework: Framework, seed: int, scale: float, trusts: int, progress: Progress) -> pl.DataFrame:
    """The calibrated national round; at the published 150 trusts each draw is checked against the report."""
    from selfassess.analysis import analyse
    from selfassess.responses import validate
    from selfassess.synth import national_round, problems

    def verify(answers: pl.DataFrame) -> list[str]:
        return problems(analyse(validate(answers, framework, lambda row, column: f"answer {row + 1}")))

    return national_round(
        framework, seed=seed, scale=scale, trusts=trusts, verify=verify if trusts == 150 else None, progress=progress
    )


def cmd_synth(args: argparse.Namespace) -> int:
    from selfassess.analysis import analyse
    from selfassess.responses import validate, write_long_csv
    from selfassess.synth import compare

    if not args.out and not args.compare:
        raise UsageError("say where to write the round with --out FILE, or ask for --compare")
    if args.scale <= 0 or args.trusts < 10:
        raise UsageError("--scale must be positive and --trusts at least 10")
    progress = Progress()
    framework = _framework(args)
    size = f"{args.trusts} {framework.units}, scale {args.scale:g}"
    progress(f"making the calibrated national round (seed {args.seed}, {size})")
    answers = calibrated_round(framework, args.seed, args.scale, args.trusts, progress)
    if args.round == "june":
        from selfassess.synth import earlier_round

        progress(f"inventing an earlier round for the same {framework.units} (June: uncalibrated, lower on average)")
        answers = earlier_round(answers, framework, args.seed)
    if args.out:
        write_long_csv(answers, args.out)
        progress(f"wrote {answers.height:,} answers to {args.out}")
    if args.compare:
        results = analyse(validate(answers, framework, lambda row, column: f"answer {row + 1}"))
        items = compare(results)
        width = max(len(i.what) for i in items)
        print(f"{'item':<{width}}  {'published':>34}  {'reproduced':>34}")
        for item in items:
            mark = "" if item.ok else "   <-- differs"
            print(f"{item.what:<{width}}  {item.published:>34}  {item.reproduced:>34}{mark}")
        missed = sum(not i.ok for i in items)
        print(f"{len(items) - missed} of {len(items)} items reproduced")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from selfassess.reports import write_reports
    from selfassess.responses import read_responses

    if args.threshold < 1:
        raise UsageError("--threshold must be at least 1")
    progress = Progress()
    framework = _framework(args)
    cover = _cover(args)
    groups = _groups(args)
    progress(f"reading and checking {args.file}")
    table = read_responses(args.file, framework)
    earlier = None
    if args.previous:
        progress(f"reading and checking the earlier round, {args.previous}")
        earlier = (read_responses(args.previous, _previous_framework(args)), Path(args.previous).stem)
    written = write_reports(
        table, Path(args.out), threshold=args.threshold, progress=progress, earlier=earlier, cover=cover, groups=groups
    )
    print_summary(written.results, framework)
    print_files(written)
    return 0


def _cover(args: argparse.Namespace) -> Cover:
    """The reports' first-page facts: the date of the data (--as-at, or the day the responses file was last
    changed) and the publisher (--publisher, or SELFASSESS_PUBLISHER)."""
    from selfassess.reports.document import Cover, date_words

    if args.as_at:
        try:
            day = date.fromisoformat(args.as_at)
        except ValueError:
            raise UsageError(f"--as-at must be a date written as YYYY-MM-DD, not {shown(args.as_at)!r}") from None
    else:
        day = datetime.fromtimestamp(Path(args.file).stat().st_mtime, tz=UTC).date()
    publisher = args.publisher if args.publisher is not None else os.environ.get("SELFASSESS_PUBLISHER", "")
    if problem := problem_with(publisher, "publisher", NAME_LENGTH):
        raise UsageError(f"--publisher: {problem}")
    return Cover(date_words(day), publisher)


def cmd_paper_form(args: argparse.Namespace) -> int:
    from selfassess.reports.paper import write_paper_form

    write_paper_form(_framework(args), Path(args.out), args.trust)
    print(f"wrote {args.out}")
    return 0


def cmd_paper_template(args: argparse.Namespace) -> int:
    from selfassess.reports.paper import write_paper_template

    write_paper_template(_framework(args), Path(args.out))
    print(f"wrote {args.out}")
    return 0


def _django() -> None:
    """Start Django on the configured database and bring its tables up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


DEMO_ROUND = "2009 national round (synthetic)"
DEMO_EARLIER_ROUND = "June 2009 round (invented)"
EARLIER_LABEL = "June (invented)"
DEMO_USERS = {
    "administrator": ("admin@example.org", "demo-administrator-2009"),
    "coordinator": ("coordinator@example.org", "demo-coordinator-2009"),
}


def cmd_import(args: argparse.Namespace) -> int:
    _django()
    from selfassess.web.services.backup import import_round, import_round_stored, is_round_folder, stored_backup
    from selfassess.web.services.imports import import_file

    progress = Progress()
    progress(f"reading and checking {args.file}")
    stored = stored_backup(args.file)
    if stored is not None:
        round, loaded = import_round_stored(stored, args.round)
    elif is_round_folder(Path(args.file)):
        round, loaded = import_round(Path(args.file), args.round)
    else:
        round, loaded = import_file(Path(args.file), args.round, args.framework)
    framework = round.framework
    print(
        f"loaded {counted(loaded['answers'], 'answer', 'answers')} from "
        f"{counted(loaded['respondents'], 'respondent', 'respondents')} in "
        f"{counted(loaded['trusts'], framework.unit, framework.units)} into round '{round.name}'"
    )
    return 0


def cmd_export_round(args: argparse.Namespace) -> int:
    _django()
    from selfassess.web.models import Round
    from selfassess.web.services.backup import export_round, export_round_stored, stored_backup

    round = Round.objects.filter(name=args.name).first()
    if round is None:
        names = ", ".join(Round.objects.values_list("name", flat=True)) or "none"
        raise UsageError(f"there is no round called {args.name!r} (rounds: {names})")
    stored = stored_backup(args.out)
    written = export_round(round, Path(args.out)) if stored is None else export_round_stored(round, stored)
    framework = round.framework
    print(
        f"wrote round '{round.name}' to {args.out}: {counted(written['trusts'], framework.unit, framework.units)}, "
        f"{counted(written['respondents'], 'respondent', 'respondents')}, "
        f"{counted(written['answers'], 'answer', 'answers')}"
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """A task worker: makes report sets, PDFs and e-mail as pages ask for them, and sends reminders when they
    are due (any number may run)."""
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from selfassess.web.services.builds import remove_left_scratch
    from selfassess.web.services.files import refuse_to_start_without_files
    from selfassess.web.services.reminders import keep_sending_due

    refuse_to_start_without_files()
    remove_left_scratch()

    options = ["--batch"] if args.until_done else []
    # Reminders send themselves: the worker looks for due ones beside its tasks (no cron needed).
    keep_sending_due(once=args.until_done)
    queues = ",".join(settings.TASKS["default"]["QUEUES"]) if args.queue == "all" else args.queue
    call_command("db_worker", "--queue-name", queues, "--interval", str(args.interval), *options)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Django's system checks and, with --deploy, its deployment checks and the project's own (secret key,
    e-mail, the folder for report files): what a deployment needs before it serves anyone. Exit 1 on any error."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.web.settings")
    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    django.setup()
    try:
        # Deployment warnings (HTTPS settings among them) fail a deployment check: each is a real gap there.
        call_command("check", deploy=args.deploy, fail_level="WARNING" if args.deploy else "ERROR")
    except SystemCheckError as error:
        print(str(error).strip(), file=sys.stderr)
        return FAILED
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    import signal
    import subprocess

    from django.core.management import call_command

    from selfassess.web.services.files import refuse_to_start_without_files
    from selfassess.web.services.imports import demo_sign_ins

    refuse_to_start_without_files()
    print(f"selfassess is at http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    for role, (email, password) in demo_sign_ins(DEMO_USERS).items():
        print(f"  demo {role}: {email} / {password}")
    # Reports and e-mail are made by a task worker; the embedded set-up runs one beside the server, and stops
    # it when the server stops (SIGTERM too: it becomes an exit, so that the `finally` below runs).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    worker = subprocess.Popen([sys.executable, "-m", "selfassess", "worker"], stdin=subprocess.DEVNULL)
    try:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, insecure_serving=True)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return 0


def demo_round(framework: Framework, seed: int, progress: Progress) -> pl.DataFrame:
    """The demo's main round: the calibrated national round on the 2009 framework; on any other, an
    uncalibrated synthetic round of 150 units (no published figures to calibrate to)."""
    from selfassess.synth import NotThe2009Framework, simple_round

    try:
        # Said before it is known whether the framework has published figures to calibrate to.
        progress(f"making a synthetic national round of 150 {framework.units}, calibrated if the framework can be")
        return calibrated_round(framework, seed, 1.0, 150, progress)
    except NotThe2009Framework:
        progress(f"{framework.title} has no published figures: making an uncalibrated synthetic round instead")
        return simple_round(framework, trusts=150, seed=seed)


def demo_round_names(framework: Framework) -> tuple[str, str]:
    """The names of the demo's earlier (invented June) and main rounds."""
    if framework.id == load_builtin_id():
        return DEMO_EARLIER_ROUND, DEMO_ROUND
    return f"{framework.title}: June (invented)", f"{framework.title} (synthetic)"


def load_builtin_id() -> str:
    from selfassess.framework import load_framework

    return load_framework().id


def cmd_demo(args: argparse.Namespace) -> int:
    from selfassess.reports import Cover, Groups, write_reports
    from selfassess.reports.document import date_words
    from selfassess.responses import write_long_csv
    from selfassess.synth import earlier_round
    from selfassess.synth.regions import regions as synthetic_regions

    progress = Progress(enabled=True)
    framework = _framework(args)
    _django()
    from selfassess.web.services.data import table_for
    from selfassess.web.services.imports import demo_groups, demo_rounds, demo_setup, import_file, other_users

    others = other_users(DEMO_USERS)
    if others and not args.force:
        raise UsageError(
            f"the database already has accounts the demo did not make ({', '.join(others)}, ...); the demo would "
            "set the passwords of its own sign-ins in it. Point it at another database (SELFASSESS_VAR or "
            "DATABASE_URL), or say --force"
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    responses, earlier = out / "responses.csv", out / "responses-june.csv"
    answers = demo_round(framework, args.seed, progress)
    write_long_csv(answers, responses)
    progress(f"inventing an earlier round for the same {framework.units} (June: uncalibrated, lower on average)")
    write_long_csv(earlier_round(answers, framework, args.seed), earlier)
    progress(f"wrote {responses} and {earlier}; loading them into the database through the import path")
    names = demo_round_names(framework)
    june, _ = import_file(earlier, names[0], args.framework, replace=True)
    round, loaded = import_file(responses, names[1], args.framework, replace=True)
    demo_rounds(june, round)
    progress(f"loaded {loaded['answers']:,} answers; analysing from the database")
    table, june_table = table_for(round), table_for(june)
    assert table is not None and june_table is not None
    # The data are as at the round's close (the demo round is still open: today).
    cover = Cover(date_words(min(round.closes_on, date.today())), "selfassess demonstration, with invented answers")
    # Invented regions as benchmark groups, written beside the answers for `report --groups` too.
    regions = synthetic_regions(table.trusts)
    write_atomically(out / "regions.csv", "trust,group\n" + "".join(f"{t},{r}\n" for t, r in regions.items()))
    demo_groups(round, "region", regions)
    written = write_reports(
        table,
        out,
        progress=progress,
        earlier=(june_table, EARLIER_LABEL),
        cover=cover,
        groups=Groups("region", regions),
    )
    demo_setup(round, DEMO_USERS)
    progress("done")
    print()
    print_summary(written.results, framework)
    print_files(written)
    print()
    print(f"The round '{round.name}' is in the database: `selfassess serve` shows it.")
    for role, (email, password) in DEMO_USERS.items():
        print(f"  demo {role}: {email} / {password}")
    return 0


def print_files(written: Any) -> None:
    print()
    for name, path in written.files.items():
        print(f"{name:>8}: {path}")
    if written.trust_files:
        first = next(iter(written.trust_files.values()))
        print(f"{'units':>8}: {counted(len(written.trust_files), 'report', 'reports')} in {first.parent}/")


def print_summary(results: dict[str, Any], framework: Framework) -> None:
    counts = results["counts"]
    respondents = counts["respondents"]
    print(
        f"{counts['trusts']} {framework.units} ({counts['trusts_with_both_audiences']} with "
        f"{'both audiences' if len(framework.audiences) == 2 else 'every audience'}), "
        f"{counted(respondents['all'], 'respondent', 'respondents')}"
    )
    print(
        f"{'scope':<30} {'answers':>10} {'scored %':>9} {'mean':>6} {'95% interval':>14} {'design effect':>14} "
        f"{framework.units + ' at or above midpoint':>28}"
    )
    for scope in framework.scopes:
        stats = results["scopes"][scope]
        everyone = stats["responses"]["all"]
        title = "Overall" if scope == "overall" else framework.practice(scope).title
        trusts = sum(1 for m in stats["trust_means"].values() if m is not None)
        at_or_above = stats["trust_bands"]["at_or_above_midpoint"]
        mean = "-" if everyone["mean"] is None else f"{everyone['mean']:.2f}"
        pct = "-" if everyone["pct_scored"] is None else f"{everyone['pct_scored']:.0f}"
        ci = "-" if everyone["ci95"] is None else f"{everyone['ci95'][0]:.2f} to {everyone['ci95'][1]:.2f}"
        effect = "-" if stats["design_effect"] is None else f"{stats['design_effect']:.1f}"
        print(
            f"{title:<30} {everyone['total']:>10,} {pct:>9} {mean:>6} {ci:>14} {effect:>14} "
            f"{f'{at_or_above} of {trusts}':>28}"
        )
    print(
        f"The interval allows for answers from one {framework.unit} moving together (clustered by {framework.unit}); "
        "the design effect "
        "says how many times wider its variance is than if every answer were independent."
    )
    if "comparison" in results:
        print_change(results["comparison"], framework)


def print_change(comparison: dict[str, Any], framework: Framework) -> None:
    """Each scope's change since the earlier round, with its interval and how many matched trusts moved."""
    print(f"\nSince {comparison['earlier']['label']}:")
    moved = f"{framework.units} up / down clearly"
    print(f"{'scope':<30} {'then':>6} {'now':>6} {'change':>7} {'95% interval':>16} {moved:>25}")
    for scope, found in comparison["scopes"].items():
        title = "Overall" if scope == "overall" else framework.practice(scope).title
        c, matched = found["responses"]["all"], found["matched"]
        if c["change"] is None:
            print(f"{title:<30} {'-':>6} {'-':>6} {'-':>7}")
            continue
        ci = "-" if c["change_ci95"] is None else f"{c['change_ci95'][0]:+.2f} to {c['change_ci95'][1]:+.2f}"
        moved = f"{matched['improved_clearly']} / {matched['declined_clearly']} of {matched['trusts']}"
        print(
            f"{title:<30} {c['earlier_mean']:>6.2f} {c['later_mean']:>6.2f} {c['change']:>+7.2f} {ci:>16} {moved:>25}"
        )
    if comparison["questions_left_out"]:
        print(f"Left out (in one round only): {', '.join(comparison['questions_left_out'])}")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--framework", metavar="FILE", help="framework file (default: the built-in 2009 drill down)")
    parser = argparse.ArgumentParser(
        prog="selfassess", description="Run a maturity self-assessment across many partnerships and report on it."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, run: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    sub = add("framework", cmd_framework, "show the framework in use, list the built-in ones, or check a file")
    sub.add_argument("action", nargs="?", choices=["check"], help="check: report every problem of FILE")
    sub.add_argument("file", nargs="?", help="the framework file to check")
    sub.add_argument("--json", action="store_true", help="print it as JSON (contract section 1)")
    sub.add_argument("--list", action="store_true", help="list the built-in frameworks")

    sub = add("analyse", cmd_analyse, "check a long-form response file and work out every statistic")
    sub.add_argument("file", help="responses: long CSV, or paper-entry CSV or XLSX")
    sub.add_argument("--json", metavar="OUT", help="write the results JSON here ('-' for standard output)")
    previous_arguments(sub)
    group_arguments(sub)

    sub = add("synth", cmd_synth, "make the calibrated synthetic national round (long-form CSV)")
    sub.add_argument("--seed", type=int, default=0, help="random seed (the same seed gives the same file)")
    sub.add_argument("--scale", type=float, default=1.0, help="multiply respondents per trust (for benchmarks)")
    sub.add_argument("--trusts", type=int, default=150, help="number of trusts (default 150, as in 2009)")
    sub.add_argument("--out", metavar="FILE", help="where to write the answers")
    sub.add_argument("--compare", action="store_true", help="print each published figure beside the reproduced one")
    sub.add_argument(
        "--round",
        choices=["october", "june"],
        default="october",
        help="october: the calibrated round (default); june: an invented earlier round for the same trusts, "
        "somewhat lower on average, not calibrated to anything",
    )

    sub = add("report", cmd_report, "write the national report (HTML, PDF, XLSX), results JSON and a report per trust")
    sub.add_argument("file", help="responses: long CSV, or paper-entry CSV or XLSX")
    sub.add_argument("--out", required=True, metavar="DIR", help="folder to write the reports to")
    sub.add_argument("--threshold", type=int, default=5, help="withhold trust figures resting on fewer respondents (5)")
    sub.add_argument("--publisher", help="who publishes the reports, for their first page (SELFASSESS_PUBLISHER)")
    sub.add_argument(
        "--as-at", metavar="YYYY-MM-DD", help="the date of the data (default: the day the file was last changed)"
    )
    previous_arguments(sub)
    group_arguments(sub)

    sub = add("paper-form", cmd_paper_form, "print the paper questionnaire (PDF) from the framework")
    sub.add_argument("--trust", help="the trust's name, printed on the form")
    sub.add_argument("--out", required=True, metavar="FILE.pdf")

    sub = add("paper-template", cmd_paper_template, "write the data-entry workbook for paper forms (XLSX)")
    sub.add_argument("--out", required=True, metavar="FILE.xlsx")

    sub = add("import", cmd_import, "check a long- or paper-form file and load it into the database, all or nothing")
    sub.add_argument(
        "file",
        help="responses (long CSV, or paper-entry CSV or XLSX), or a folder from export-round (storage:NAME: one in "
        "the service's storage)",
    )
    sub.add_argument("--round", metavar="NAME", help="the round to load into (made if there is none by that name)")

    sub = add("export-round", cmd_export_round, "write a whole round to a folder (import reads it back)")
    sub.add_argument("name", help="the round's name")
    sub.add_argument(
        "--out", required=True, metavar="DIR", help="a folder here, or storage:NAME for the service's folder or bucket"
    )

    sub = add("serve", cmd_serve, "run the web application on the embedded database")
    sub.add_argument("--host", default="127.0.0.1")
    sub.add_argument("--port", type=int, default=8000)

    sub = add("check", cmd_check, "check the web application's settings; --deploy: fit to serve the public")
    sub.add_argument("--deploy", action="store_true", help="Django's deployment checks and the project's own")

    sub = add("worker", cmd_worker, "run a task worker: it makes report sets, PDFs and e-mail for the web application")
    sub.add_argument("--interval", type=float, default=1.0, help="seconds between looks for new work (1)")
    sub.add_argument("--until-done", action="store_true", help="stop when there is no work left")
    sub.add_argument(
        "--queue",
        choices=("all", "default", "downloads"),
        default="all",
        help="the work it takes: default (report pages, trust PDFs, paper forms, e-mail), downloads (the national "
        "PDF and workbook), or all (the default)",
    )

    sub = add("demo", cmd_demo, "the main job: a synthetic national round, checked, analysed and reported")
    sub.add_argument("--out", default="out", metavar="DIR", help="where to write everything (default: out)")
    sub.add_argument("--seed", type=int, default=2009, help="random seed for the synthetic round")
    sub.add_argument(
        "--force", action="store_true", help="use a database that holds other accounts too (resets the demo's own)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except InvalidInput as exc:
        for line in exc.report(args.command):
            print(line, file=sys.stderr)
        return INVALID
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return FAILED
    except Exception as exc:  # a bug or the machine: say so in a line; the traceback only on request
        if os.environ.get("SELFASSESS_DEBUG"):
            raise
        print(f"selfassess: failed: {type(exc).__name__}: {exc} (set SELFASSESS_DEBUG=1 for details)", file=sys.stderr)
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
