"""The asset map's forms refuse text no database column can hold: a NUL character in any
field is an error beside that field (PostgreSQL would otherwise fail on it)."""

from flask_babel import lazy_gettext as _l

from engage.forms import BaseForm


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


class AssetForm(BaseForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if _has_nul(field.data) or _has_nul(field.raw_data or []):
                field.errors = [*field.errors, str(_l("Remove the NUL character"))]
                valid = False
        return valid
