"""Every table of the report as a CSV file (cells safe in spreadsheets), named as the page
names them: themes, who-came, who-spoke, partners, funded, gaps, listening."""

import io
from collections.abc import Callable
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from engage.exporting import SafeWriter
from engage.reports.logic import BoardReport

Rows = list[list[object]]


class ReportTable(StrEnum):
    THEMES = "themes"
    WHO_CAME = "who-came"
    WHO_SPOKE = "who-spoke"
    PARTNERS = "partners"
    FUNDED = "funded"
    GAPS = "gaps"
    LISTENING = "listening"

    @property
    def label(self) -> str:
        return str(TABLE_LABELS[self])


TABLE_LABELS = {
    ReportTable.THEMES: _l("What we heard, by theme"),
    ReportTable.WHO_CAME: _l("Who came to sessions, against who lives there"),
    ReportTable.WHO_SPOKE: _l("Where feedback came from, against where people live"),
    ReportTable.PARTNERS: _l("Actions by partner"),
    ReportTable.FUNDED: _l("Funded projects and whom they reached"),
    ReportTable.GAPS: _l("Gaps in provision"),
    ReportTable.LISTENING: _l("Where we have not yet listened"),
}


def _pct(value: float | None) -> object:
    return "" if value is None else round(value, 1)


def _themes(report: BoardReport) -> Rows:
    rows: Rows = [["theme", "items", "items_before", "change"]]
    for r in report.heard.themes:
        rows.append([r.theme.slug if r.theme else "", r.now, r.before, r.change])
    return rows


def _came(report: BoardReport) -> Rows:
    rows: Rows = [["dimension", "group", "heard", "heard_percent", "residents_percent", "status"]]
    for r in report.who.came:
        residents = None if r.population_share is None else r.population_share * 100
        rows.append([r.dimension, r.group, r.heard, _pct(r.heard_share * 100), _pct(residents),
                     r.status])  # fmt: skip
    return rows


def _spoke(report: BoardReport) -> Rows:
    rows: Rows = [["area_code", "area", "items", "items_percent", "residents_percent"]]
    for v in report.who.spoke:
        residents = None if v.population_share is None else v.population_share * 100
        rows.append([v.area.code if v.area else "", v.area.name if v.area else "", v.items,
                     _pct(v.share * 100), _pct(residents)])  # fmt: skip
    return rows


def _partners(report: BoardReport) -> Rows:
    rows: Rows = [["partner", "done", "overdue", "open"]]
    for partner, counts in report.did.loop.by_partner.items():
        rows.append([partner, counts["done"], counts["overdue"], counts["open"]])
    return rows


def _funded(report: BoardReport) -> Rows:
    rows: Rows = [["round", "project", "organisation", "amount", "sessions", "participants",
                   "in_target_cohort", "cohort_percent", "target_percent", "target_ages",
                   "target_areas"]]  # fmt: skip
    for r in report.funded.rounds:
        for project, got in r.projects:
            rows.append([r.round.title, project.bid.title, project.bid.organisation.name,
                         project.amount, got.sessions, got.participants, got.in_cohort,
                         _pct(got.share), got.target.share, got.target.ages,
                         ";".join(a.name for a in got.target.areas)])  # fmt: skip
    return rows


def _gaps(report: BoardReport) -> Rows:
    rows: Rows = [["area_code", "area", "services", "nearest_km", "score"]]
    for g in report.gaps.provision:
        nearest = "" if g.nearest_km is None else round(g.nearest_km, 2)
        rows.append([g.code, g.name, g.services, nearest, round(g.score, 3)])
    return rows


def listening_rows(listening) -> Rows:
    rows: Rows = [["area_code", "area", "imd_decile", "population", "under_25", "items",
                   "session_attendance", "sessions", "last_session", "voices_per_1000",
                   "young_voices_per_1000_under_25", "score"]]  # fmt: skip
    for r in listening:
        rows.append([r.area.code, r.area.name, round(r.decile, 1), r.area.population or "",
                     r.under_25 or "", r.items, round(r.attendance, 1), r.sessions,
                     r.last_session.isoformat() if r.last_session else "",
                     _pct(r.per_1000), _pct(r.young_per_1000), round(r.score, 3)])  # fmt: skip
    return rows


BUILDERS: dict[ReportTable, Callable[[BoardReport], Rows]] = {
    ReportTable.THEMES: _themes,
    ReportTable.WHO_CAME: _came,
    ReportTable.WHO_SPOKE: _spoke,
    ReportTable.PARTNERS: _partners,
    ReportTable.FUNDED: _funded,
    ReportTable.GAPS: _gaps,
    ReportTable.LISTENING: lambda report: listening_rows(report.gaps.listening),
}


def as_csv(rows: Rows) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
