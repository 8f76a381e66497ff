"""Officers' forms for feedback: many items at once (rows through FieldList/FormField), each
moderation action, the analysis and reach filters, and the session link."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovCheckboxInput, GovSelect
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    SelectMultipleField,
)
from wtforms.validators import AnyOf, Optional, ValidationError

from engage.feedback.logic import MAX_TEXT
from engage.feedback.models import Source
from engage.feedback.moderation import QueueFilters
from engage.feedback.vocabulary import SaidBy
from engage.forms import (
    BaseForm,
    GetForm,
    OptionalChoiceField,
    RowForm,
    WholeNumberField,
    submit_field,
    text_field,
)

MAX_ROWS = 50


class ItemRow(RowForm):
    """One thing said, in the session page's table."""

    text = text_field(_l("What was said"), MAX_TEXT, area=True)
    prompt = OptionalChoiceField(_l("Answering"))
    area = OptionalChoiceField(_l("Area"), coerce=int)
    themes = SelectMultipleField(
        _l("Themes"), widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )
    young = BooleanField(_l("Said by a young person"), widget=GovCheckboxInput())


class BulkEntryForm(BaseForm):
    items = FieldList(FormField(ItemRow), min_entries=1, max_entries=MAX_ROWS)
    submit = submit_field(_l("Save items"))

    def with_choices(self, prompts, areas, themes, theme_name) -> "BulkEntryForm":
        for row in self.items:
            fields = row.form
            fields.prompt.choices = [("", _l("No particular question")), *((p, p) for p in prompts)]
            fields.area.choices = [("", _l("Not said")), *((a.id, a.name) for a in areas)]
            fields.themes.choices = [(t.id, theme_name(t)) for t in themes]
        return self

    def filled(self):
        """(row number from 1, row) for the rows with something said; empty rows are skipped."""
        return [(self.row_number(row), row) for row in self.items if row.text.data]

    @staticmethod
    def row_number(row) -> int:
        return int(row.name.rsplit("-", 1)[1]) + 1

    def validate(self, extra_validators=None) -> bool:
        """As usual, and each row's messages say which row they are about."""
        valid = super().validate(extra_validators)
        for row in self.items:
            for field in row:
                if not isinstance(field.errors, list):  # a field not validated has no errors
                    continue
                field.errors[:] = [  # in place: the form's summary holds these very lists
                    str(_l("Row %(n)d: %(problem)s", n=self.row_number(row), problem=error))
                    for error in field.errors
                ]
        return valid


class RowsForm(GetForm):
    rows = WholeNumberField(minimum=1, maximum=MAX_ROWS)


class RowsPageForm(GetForm):
    page = WholeNumberField(_l("Page"), minimum=1, maximum=100_000)


class QueueReturn(BaseForm):
    """Where to go after an action: back to the queue, or to the item."""

    back = HiddenField(validators=[Optional(), AnyOf(["queue", "item"])])


class ApproveForm(QueueReturn):
    pass


class RejectForm(QueueReturn):
    reason = text_field(_l("Why (for officers only)"), 500, _l("Give a reason for rejecting it"))


class NamesForm(QueueReturn):
    names = text_field(
        _l("Names to take out of the public copy, separated by commas"), 500, _l("Enter a name")
    )


class ThemesForm(QueueReturn):
    themes = SelectMultipleField(_l("Themes"), coerce=int, validators=[Optional()])


class FlagForm(BaseForm):
    note = text_field(_l("Why you are concerned"), 500, _l("Say briefly why you are concerned"))


class IsoDateField(Field):
    """A date typed as 2026-11-29 (the browser's date picker); refused in our own words."""

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist) -> None:
        from datetime import date

        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = date.fromisoformat(raw)
            except ValueError:
                raise ValueError(str(_l("Enter a real date, like 2026-11-29"))) from None


class FeedbackFilterForm(GetForm):
    theme = OptionalChoiceField(_l("Theme"), coerce=int)
    area = OptionalChoiceField(_l("Area"), coerce=int)
    source = OptionalChoiceField(_l("Source"), widget=GovSelect())
    forum = OptionalChoiceField(_l("Forum"), coerce=int)
    start = IsoDateField(_l("From"))
    end = IsoDateField(_l("To"))

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(str(_l("The end date must be on or after the start date")))

    def with_choices(self, themes, areas, forums, theme_name) -> "FeedbackFilterForm":
        everything = ("", _l("All"))
        self.theme.choices = [everything, *((t.id, theme_name(t)) for t in themes)]
        self.area.choices = [everything, *((a.id, a.name) for a in areas)]
        self.source.choices = [everything, *Source.choices()]
        self.forum.choices = [everything, *((f.id, f.name) for f in forums)]
        return self


class QueueFilterForm(GetForm):
    """The moderation queue's filters, and which page of it."""

    source = OptionalChoiceField(_l("Source"), widget=GovSelect())
    area = OptionalChoiceField(_l("Area"), coerce=int)
    theme = OptionalChoiceField(_l("Theme"), coerce=int)
    age = OptionalChoiceField(_l("Age"), widget=GovSelect())
    page = WholeNumberField(_l("Page"), minimum=1, maximum=100_000)

    def with_choices(self, themes, areas, theme_name) -> "QueueFilterForm":
        everything = ("", _l("All"))
        self.source.choices = [everything, *Source.choices()]
        self.area.choices = [everything, *((a.id, a.name) for a in areas)]
        self.theme.choices = [everything, *((t.id, theme_name(t)) for t in themes)]
        self.age.choices = [everything, *SaidBy.choices()]
        return self

    def filters(self) -> QueueFilters:
        return QueueFilters(
            source=self.source.data,
            area_id=self.area.data,
            theme_id=self.theme.data,
            age=self.age.data,
        )


class SessionLinkForm(BaseForm):
    allowance = WholeNumberField(
        _l("How many things people may send through it"), minimum=1, maximum=5000
    )
    submit = submit_field(_l("Open a link for this session"))


class CloseLinkForm(BaseForm):
    submit = submit_field(_l("Close the link"))
