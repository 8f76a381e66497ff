"""The report's choices (period and area, read from the query string) and the PDF button."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import HiddenField
from wtforms.validators import ValidationError

from engage.feedback.officer_forms import IsoDateField
from engage.forms import BaseForm, GetForm, OptionalChoiceField, submit_field
from engage.geo.models import Area
from engage.reports.tables import ReportTable


class ReportForm(GetForm):
    start = IsoDateField(
        _l("From"), description=_l("For example, 2026-07-01"), widget=GovTextInput()
    )
    end = IsoDateField(_l("To"), description=_l("For example, 2026-09-30"), widget=GovTextInput())
    area = OptionalChoiceField(_l("Area"), coerce=int)

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(str(_l("The end date must be on or after the start date")))

    def with_areas(self, areas: list[Area]) -> "ReportForm":
        self.area.choices = [("", _l("All areas")), *((a.id, a.name) for a in areas)]
        return self


class TableForm(ReportForm):
    table = OptionalChoiceField(_l("Table"), choices=[(t.value, t.label) for t in ReportTable])


class PdfForm(BaseForm):
    start = HiddenField()
    end = HiddenField()
    area = HiddenField()
    submit = submit_field(_l("Make a PDF of this report"))
