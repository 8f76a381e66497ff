"""The shared fields of engage/forms.py: built afresh for every request, each form the same."""

from wtforms.validators import InputRequired

from engage.budgeting.forms import BallotForm
from engage.forms import RowForm, WholeNumberField
from tests.budgeting.pages import ballot_rows


class _Row(RowForm):
    number = WholeNumberField(minimum=1, maximum=10, validators=[InputRequired()])


def test_a_whole_number_field_has_the_same_checks_however_many_forms_are_built(app):
    with app.test_request_context("/", method="POST", data={"number": "3"}):
        checks = [len(_Row(data={"number": 3}).number.validators) for _ in range(5)]
    assert checks == [2] * 5  # its own check and the range; never one more per form built


def test_a_ballot_is_checked_as_much_on_the_thousandth_vote_as_on_the_first(app):
    """Every ballot row's hidden id used to gain one range check per form built, so a worker
    grew slower with every ballot it served."""
    with app.test_request_context("/", method="POST", data=ballot_rows({5: 1, 6: 1})):
        forms = [BallotForm(meta={"csrf": False}) for _ in range(1000)]
    assert {len(f.ballot[0].form.bid_id.validators) for f in forms} == {2}
    assert forms[-1].validate() and forms[-1].choices(points=False) == {5: 1, 6: 1}
